package main

import (
	"flag"
	"strings"
	"testing"
)

// TestDBFlagHidesPassword: --help shows COURSEKIT_DB as --db's default
// without its password; the flag still holds the whole URL.
func TestDBFlagHidesPassword(t *testing.T) {
	const dsn = "postgres://coursekit:s3cret-pw@db.example.org/lrs?sslmode=require"
	for _, tt := range []struct{ env, args, want string }{
		{dsn, "", dsn},
		{dsn, "--db sqlite:other.db", "sqlite:other.db"},
		{"postgres://coursekit:s3cret-pw@db.example.org:badport/lrs", "", "postgres://coursekit:s3cret-pw@db.example.org:badport/lrs"},
	} {
		t.Setenv("COURSEKIT_DB", tt.env)
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		db := dbFlag(fs)
		var help strings.Builder
		fs.SetOutput(&help)
		fs.PrintDefaults()
		if err := fs.Parse(strings.Fields(tt.args)); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(help.String(), "s3cret-pw") {
			t.Errorf("--help shows the password:\n%s", help.String())
		}
		if *db != tt.want {
			t.Errorf("COURSEKIT_DB=%s %s: --db = %q, want %q", tt.env, tt.args, *db, tt.want)
		}
	}
}
