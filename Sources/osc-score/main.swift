import OSCScoreCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(OSCScoreCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
