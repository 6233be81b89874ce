package main

import (
	"context"
	"fmt"
	"io"
)

type migrateCmd struct{ stdout, stderr io.Writer }

const migrateUsage = `
Usage: coursekit migrate [--db DSN]

Brings the database schema up to date and exits. Every command that opens
the database does this too; migrate is for deployments that want it as a
separate step. On PostgreSQL it takes an advisory lock, so several LRS nodes
may start at once.
`

func (c *migrateCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("migrate", migrateUsage, c.stdout)
	db := dbFlag(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("migrate takes no arguments")
	}
	store, err := openStore(ctx, *db, newLogger(c.stderr, "text"))
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "schema up to date")
	return store.Close()
}
