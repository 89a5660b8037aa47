import CTAgentCommands
MultiCall.main()
