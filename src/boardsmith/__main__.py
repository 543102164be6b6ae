from boardsmith.cli.app import main

main()
