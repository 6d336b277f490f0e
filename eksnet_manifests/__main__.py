from eksnet_manifests.cli import main

main()
