package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

type versionCmd struct{ stdout io.Writer }

const versionUsage = `
Usage: coursekit version

Prints the coursekit version, the commit it was built from, and the Go version.
`

func (c *versionCmd) Run(_ context.Context, args []string) error {
	fs := newFlagSet("version", versionUsage, c.stdout)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(c.stdout, "coursekit %s\n", buildVersion())
	return nil
}

// buildVersion is the release version, or the module version and VCS commit
// recorded by the Go toolchain for development builds.
func buildVersion() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " (" + rev + modified + ")"
	}
	return v + " " + info.GoVersion
}
