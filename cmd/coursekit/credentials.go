package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

type credentialsCmd struct{ stdout, stderr io.Writer }

const credentialsUsage = `
Usage:
  coursekit credentials create [--db DSN] --name NAME --scope SCOPE[,SCOPE]
  coursekit credentials list [--db DSN] [--json]
  coursekit credentials revoke [--db DSN] KEY

create prints exactly one line, KEY:SECRET, on stdout; the secret is shown
only then (the database keeps its argon2id hash). Scopes: all, all/read,
statements/write, statements/read, statements/read/mine, state, define,
profile. A package that reports to the LRS needs only statements/write.
`

func (c *credentialsCmd) Run(ctx context.Context, args []string) error {
	return runSubcommand(ctx, "credentials", credentialsUsage, c.stdout, args,
		subcommand{"create", c.create}, subcommand{"list", c.list}, subcommand{"revoke", c.revoke})
}

func (c *credentialsCmd) create(ctx context.Context, args []string) error {
	fs := newFlagSet("credentials create", credentialsUsage, c.stdout)
	db := dbFlag(fs)
	name := fs.String("name", "", "who or what the credential is for")
	scope := fs.String("scope", "", "comma-separated `scopes`")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 || *name == "" || *scope == "" {
		return usagef("credentials create needs --name and --scope, and no arguments")
	}
	scopes, err := lrs.ParseScopes(*scope)
	if err != nil {
		return usagef("%v", err)
	}
	store, err := openStore(ctx, *db, newLogger(c.stderr, "text"))
	if err != nil {
		return err
	}
	defer store.Close()
	key, secret, err := lrs.NewCredentials(store, time.Now).Create(ctx, *name, scopes)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s:%s\n", key, secret)
	return nil
}

func (c *credentialsCmd) list(ctx context.Context, args []string) error {
	fs := newFlagSet("credentials list", credentialsUsage, c.stdout)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("credentials list takes no arguments")
	}
	store, err := openStore(ctx, *db, newLogger(c.stderr, "text"))
	if err != nil {
		return err
	}
	defer store.Close()
	creds, err := store.Credentials(ctx)
	if err != nil {
		return err
	}
	type row struct {
		Key       string   `json:"key"`
		Name      string   `json:"name"`
		Scopes    []string `json:"scopes"`
		CreatedAt string   `json:"created_at"`
		RevokedAt string   `json:"revoked_at,omitempty"`
	}
	rows := make([]row, 0, len(creds))
	for _, cr := range creds {
		r := row{Key: cr.Key, Name: cr.Name, Scopes: cr.Scopes, CreatedAt: cr.CreatedAt.UTC().Format(time.RFC3339)}
		if !cr.RevokedAt.IsZero() {
			r.RevokedAt = cr.RevokedAt.UTC().Format(time.RFC3339)
		}
		rows = append(rows, r)
	}
	if *asJSON {
		return printJSON(c.stdout, rows)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tNAME\tSCOPES\tCREATED\tREVOKED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Key, r.Name, strings.Join(r.Scopes, ","), r.CreatedAt, r.RevokedAt)
	}
	return tw.Flush()
}

func (c *credentialsCmd) revoke(ctx context.Context, args []string) error {
	fs := newFlagSet("credentials revoke", credentialsUsage, c.stdout)
	db := dbFlag(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("credentials revoke takes one KEY")
	}
	store, err := openStore(ctx, *db, newLogger(c.stderr, "text"))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := lrs.NewCredentials(store, time.Now).Revoke(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "revoked %s\n", rest[0])
	return nil
}
