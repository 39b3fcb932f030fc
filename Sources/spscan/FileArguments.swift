import Foundation

/// File names that look like options (`-rf.html`, `-notes/a.pdf`).
///
/// swift-argument-parser reads `-rf.html` as the short flags `-r -f -. -h ...` and, because one of them is
/// `-h`, prints the help and exits 0: a command given a file would silently do nothing. No option of spscan
/// has a dot or a slash in its name, so such an argument before `--` is a file name meant as an input;
/// the error says how to pass it.
enum FileArguments {
    /// The message for the first argument that is a file name written where options are read, if any.
    static func misreadAsOption(_ arguments: [String]) -> String? {
        for argument in arguments {
            if argument == "--" { return nil }
            guard argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 1, Double(argument) == nil,
                argument.contains(".") || argument.contains("/")
            else { continue }
            let command = arguments.first.map { "spscan \($0) " } ?? "spscan "
            return "'\(argument)' is read as options, but no option is named so; if it is a file, put `--` before it "
                + "to end the options: \(command)-- \(argument)"
        }
        return nil
    }
}
