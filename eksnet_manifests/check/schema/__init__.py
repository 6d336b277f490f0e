"""Schemas: built-in kinds' strict schemas, CRDs converted from OpenAPI v3, structural rules, formats."""
