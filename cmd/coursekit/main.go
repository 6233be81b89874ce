// Command coursekit packages Markdown courses for learning management systems
// and serves an xAPI Learning Record Store.
//
// Run "coursekit help" for the commands.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Exit codes shared by every command: scripts and CI pipelines rely on them.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one coursekit subcommand.
type command interface {
	// Run executes the command. A *usageError means the arguments were wrong;
	// errSilent means the command has already reported its failure.
	Run(ctx context.Context, args []string) error
}

// commandInfo describes a subcommand for help and dispatch.
type commandInfo struct {
	name    string
	summary string
	new     func(stdout, stderr io.Writer) command
}

func commands() []commandInfo {
	return []commandInfo{
		{"lint", "check a course folder and report every problem", func(o, e io.Writer) command { return &lintCmd{stdout: o, stderr: e} }},
		{"build", "build SCORM packages from a course folder", func(o, e io.Writer) command { return &buildCmd{stdout: o, stderr: e} }},
		{"serve", "run the xAPI Learning Record Store", func(o, e io.Writer) command { return &serveCmd{stdout: o, stderr: e} }},
		{"launch", "launch a cmi5 AU for a learner through coursekit serve", func(o, e io.Writer) command { return &launchCmd{stdout: o, stderr: e} }},
		{"migrate", "bring the LRS database schema up to date", func(o, e io.Writer) command { return &migrateCmd{stdout: o, stderr: e} }},
		{"credentials", "create, list and revoke LRS credentials", func(o, e io.Writer) command { return &credentialsCmd{stdout: o, stderr: e} }},
		{"courses", "register course structures with the LRS for reports", func(o, e io.Writer) command { return &coursesCmd{stdout: o, stderr: e} }},
		{"reports", "rebuild learners' progress from the stored statements", func(o, e io.Writer) command { return &reportsCmd{stdout: o, stderr: e} }},
		{"bench", "measure an LRS on this machine over loopback HTTP", func(o, e io.Writer) command { return &benchCmd{stdout: o, stderr: e} }},
		{"seed", "fill an LRS with demo learners taking a course", func(o, e io.Writer) command { return &seedCmd{stdout: o, stderr: e, now: time.Now} }},
		{"report", "report on learners' progress: courses, learners, learner, questions, responses", func(o, e io.Writer) command { return &reportCmd{stdout: o, stderr: e} }},
		{"new", "write a small starter course to a new folder", func(o, e io.Writer) command { return &newCmd{stdout: o, stderr: e} }},
		{"validate", "check a SCORM package zip and report every problem", func(o, e io.Writer) command { return &validateCmd{stdout: o, stderr: e} }},
		{"version", "print the coursekit version", func(o, e io.Writer) command { return &versionCmd{stdout: o} }},
		{"help", "show help for coursekit or one command", func(o, e io.Writer) command { return &helpCmd{stdout: o, stderr: e} }},
	}
}

// run dispatches to a subcommand and maps its error to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printOverview(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		printOverview(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	info, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "coursekit: unknown command %q\nRun 'coursekit help' for the list of commands.\n", name)
		return exitUsage
	}
	err := info.new(stdout, stderr).Run(ctx, args[1:])
	var usage *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "coursekit %s: %v\nRun 'coursekit %s -h' for usage.\n", info.name, usage.err, info.name)
		return exitUsage
	case errors.Is(err, errSilent):
		return exitFailure
	default:
		fmt.Fprintf(stderr, "coursekit %s: %v\n", info.name, err)
		return exitFailure
	}
}

func lookup(name string) (commandInfo, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return commandInfo{}, false
}

func printOverview(w io.Writer) {
	fmt.Fprint(w, `coursekit builds LMS packages from Markdown courses and runs an xAPI LRS.

Usage:
  coursekit <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'coursekit <command> -h' for a command's flags.
The course format is described in docs/course-format.md.
`)
}

// usageError is a mistake in a command's arguments (exit code 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// errSilent reports a failure the command has already explained.
var errSilent = errors.New("failed")

// newFlagSet returns a flag set that prints usage to stdout for -h and
// reports its errors through the returned error, not by printing.
func newFlagSet(name, usage string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprint(stdout, strings.TrimLeft(usage, "\n"))
		fs.SetOutput(stdout)
		if hasFlags(fs) {
			fmt.Fprintln(stdout, "\nFlags:")
			fs.PrintDefaults()
		}
		fs.SetOutput(io.Discard)
	}
	return fs
}

// subcommand is one of a command's subcommands (coursekit courses add).
type subcommand struct {
	name string
	run  func(ctx context.Context, args []string) error
}

// runSubcommand runs the subcommand of the command name that args[0]
// names, or prints the command's usage for -h.
func runSubcommand(ctx context.Context, name, usage string, stdout io.Writer, args []string, subs ...subcommand) error {
	names := make([]string, len(subs))
	for i, sub := range subs {
		names[i] = sub.name
	}
	list := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	if len(args) == 0 {
		return usagef("%s needs a subcommand: %s", name, list)
	}
	for _, sub := range subs {
		if sub.name == args[0] {
			return sub.run(ctx, args[1:])
		}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		newFlagSet(name, usage, stdout).Usage()
		return nil
	}
	return usagef("unknown %s subcommand %q; use %s", name, args[0], list)
}

// printJSON writes v to w as indented JSON, as the --json flags print.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses flags that may come before or after the positional
// arguments ("lint DIR --format json" as well as "lint --format json DIR"),
// and returns the positional arguments. A lone "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	// flag calls Usage on every parse error; print it for -h only, once.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, err
			}
			return nil, &usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
