from boardsmith.cli.entry import main

main()
