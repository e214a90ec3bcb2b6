from meldcode_rules.cli.main import main

main()
