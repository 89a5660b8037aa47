import CTAgentCommands
CTAgentCmd.main()
