import MosaicCLI

MosaicCommand.main()
