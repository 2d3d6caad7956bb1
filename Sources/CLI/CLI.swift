// The `lanyard` command: argument parsing, the commands and terminal output.
