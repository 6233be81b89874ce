// Package starter writes the small example course that "coursekit new"
// creates: a valid course that shows every kind of block.
package starter

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/template"
)

//go:embed template
var files embed.FS

// Options fill in the starter course.
type Options struct {
	// ID is the course IRI.
	ID    string
	Title string
}

// Write creates dir and writes the starter course into it. It refuses a
// folder that already has files in it, so nothing is overwritten.
func Write(dir string, opts Options) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s already exists and is not empty; choose a new folder", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check %s: %w", dir, err)
	}
	return fs.WalkDir(files, "template", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("template", filepath.FromSlash(name))
		out := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		if filepath.Base(name) == "course.yaml" {
			if data, err = fill(data, opts); err != nil {
				return err
			}
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return fmt.Errorf("write starter course: %w", err)
		}
		return nil
	})
}

func fill(data []byte, opts Options) ([]byte, error) {
	t, err := template.New("course.yaml").Parse(string(data))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, struct{ ID, Title string }{yamlQuote(opts.ID), yamlQuote(opts.Title)}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// yamlQuote writes s as a double-quoted YAML scalar, so any title is safe.
func yamlQuote(s string) string {
	b, _ := json.Marshal(s) // JSON strings are valid YAML double-quoted scalars
	return string(b)
}
