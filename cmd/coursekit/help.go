package main

import (
	"context"
	"io"
)

type helpCmd struct{ stdout, stderr io.Writer }

const helpUsage = `
Usage: coursekit help [command]

Shows the list of commands, or the usage of one command.
`

func (c *helpCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("help", helpUsage, c.stdout)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch len(rest) {
	case 0:
		printOverview(c.stdout)
		return nil
	case 1:
		info, ok := lookup(rest[0])
		if !ok {
			return usagef("unknown command %q", rest[0])
		}
		return info.new(c.stdout, c.stderr).Run(ctx, []string{"-h"})
	default:
		return usagef("help takes at most one command name")
	}
}
