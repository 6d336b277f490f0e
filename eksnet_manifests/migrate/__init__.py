"""``eksnet migrate``: existing Ingresses and NLB Services -> an eksnet profile, or Gateway API.

The pipeline: ``inputs`` reads the objects; the Ingress translators (``alb/``, ``TRANSLATORS``) and the
NLB Service translator (``service``) turn each into a draft and report every field they read; the
drafts become a profile fragment (``to_profile``) or Gateway API and LBC objects (``to_gateway``);
``cutover`` writes the DNS cut-over plan. Nothing is raised at the first problem: every error is a
report entry, and a migration with errors writes nothing.
"""
