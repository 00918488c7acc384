import MosaicCLI

MosaicCommand.run()
