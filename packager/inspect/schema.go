package inspect

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// validateSchema runs xmllint on the manifest, fed through stdin so nothing
// is written to disk, and turns its complaints into problems. schema is the
// entry schema's path in opts.SchemaDir.
func validateSchema(ctx context.Context, opts Options, schema string, manifest []byte, rep *Report) error {
	if opts.SchemaDir == "" {
		rep.Schema = SchemaSkipped
		rep.Warnings = append(rep.Warnings, "schema validation skipped: no schema folder (the official SCORM and cmi5 schemas, shared/xsd); pass it with --schemas DIR")
		return nil
	}
	xsd := filepath.Join(opts.SchemaDir, filepath.FromSlash(schema))
	if _, err := os.Stat(xsd); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	bin, err := exec.LookPath(opts.XMLLint)
	if err != nil {
		rep.Schema = SchemaSkipped
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("schema validation skipped: %s not found; install it (Debian: apt-get install libxml2-utils)", opts.XMLLint))
		return nil
	}
	cmd := exec.CommandContext(ctx, bin, "--noout", "--nonet", "--schema", xsd, "-")
	cmd.Stdin = bytes.NewReader(manifest)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		rep.Schema = SchemaValid
		return nil
	case !errors.As(err, &exit):
		return fmt.Errorf("run %s: %w", opts.XMLLint, err)
	case exit.ExitCode() != 1 && exit.ExitCode() != 3:
		// 4 and 5: the schema itself could not be loaded.
		return fmt.Errorf("%s --schema %s: %v: %s", opts.XMLLint, xsd, err, strings.TrimSpace(out.String()))
	}
	rep.Schema = SchemaInvalid
	probs := xmllintProblems(out.String(), cmp.Or(rep.doc, ManifestName))
	if len(probs) == 0 {
		rep.manifestf(0, "schema: %s reports the manifest invalid: %s", opts.XMLLint, strings.TrimSpace(out.String()))
	}
	rep.Problems = append(rep.Problems, probs...)
	return nil
}

// xmllintLine matches xmllint's complaints about its standard input,
// "-:LINE: element X: Schemas validity error : message". Lines about the
// schema files, such as SCORM 1.2's harmless "xml namespace URI cannot be
// the default namespace", name those files instead.
var xmllintLine = regexp.MustCompile(`^-:(\d+): (?:element \S+: )?([^:]*(?:error|Error)) : (.*)$`)

// nsName matches the {namespace}name that xmllint writes for qualified names.
var nsName = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9+.-]*:[^{}\s']*)\}`)

func xmllintProblems(out, file string) []Problem {
	var probs []Problem
	for l := range strings.Lines(out) {
		m := xmllintLine.FindStringSubmatch(strings.TrimRight(l, "\r\n"))
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		msg := nsName.ReplaceAllStringFunc(m[3], func(s string) string {
			ns := s[1 : len(s)-1]
			if ext, ok := extensions[ns]; ok {
				return ext.prefix + ":"
			}
			if ns == cp12NS || ns == cp2004NS || ns == cmi5NS {
				return ""
			}
			return s
		})
		kind := "schema"
		if !strings.Contains(m[2], "Schemas") {
			kind = "xmllint " + strings.TrimSpace(m[2])
		}
		probs = append(probs, Problem{File: file, Line: line, Message: kind + ": " + msg})
	}
	return probs
}
