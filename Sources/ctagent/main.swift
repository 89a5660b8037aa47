import CTAgentCommands
CTAgent.main()
