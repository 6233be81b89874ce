package course

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlDoc reads one YAML document (course.yaml, a lesson's front matter or an
// interactive block) by walking its nodes, so that every problem is reported
// with its position and none stops the others from being found. yaml.v3's
// strict decoding stops at the first unknown key and gives no columns.
type yamlDoc struct {
	r reporter
	// pos maps a position inside the YAML text to one in the file.
	pos func(line, col int) (int, int)
	// lines is the number of lines in the text; yaml.v3 places some empty
	// nodes on the line after the last.
	lines int
}

func (d *yamlDoc) errorf(n *yaml.Node, format string, args ...any) {
	line, col := d.pos(min(n.Line, max(d.lines, 1)), n.Column)
	d.r.at(line, col, format, args...)
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse returns the top-level node of src, or nil after reporting a syntax
// error. An empty document gives an empty mapping.
func (d *yamlDoc) parse(src []byte, what string) *yaml.Node {
	d.lines = len(lineStarts(src))
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := 1, err.Error()
		if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			line, msg = min(line, d.lines), m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		fl, fc := d.pos(line, 1)
		d.r.at(fl, fc, "%s is not valid YAML: %s (check indentation: use spaces, not tabs, and quote text containing ': ')", what, msg)
		return nil
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	}
	return doc.Content[0]
}

// fields calls fn with each key of the mapping n in order. It reports a node
// that is not a mapping, duplicate keys, and keys outside known (suggesting
// the nearest known one). It returns the keys that were present.
func (d *yamlDoc) fields(n *yaml.Node, what string, known []string, fn func(key string, v *yaml.Node)) map[string]*yaml.Node {
	seen := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of keys to values, not %s", what, describe(n))
		return seen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if first, dup := seen[key]; dup {
			fl, _ := d.pos(first.Line, first.Column)
			d.errorf(k, "duplicate key %q in %s (first set on line %d); keep one", key, what, fl)
			continue
		}
		if !slices.Contains(known, key) {
			d.errorf(k, "unknown key %q in %s%s", key, what, suggest(key, known))
			continue
		}
		seen[key] = k
		fn(key, v)
	}
	return seen
}

// require reports each of keys missing from seen, at the mapping n.
func (d *yamlDoc) require(n *yaml.Node, seen map[string]*yaml.Node, what string, keys ...string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			d.errorf(n, "%s has no %q; add it", what, k)
		}
	}
}

// str returns the text of a scalar. Numbers and booleans are taken as the
// text the author wrote; null, lists and mappings are reported.
func (d *yamlDoc) str(n *yaml.Node, key string) (string, bool) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%q must be text, not %s", key, describe(n))
		return "", false
	}
	return n.Value, true
}

// text is str for values that must not be blank.
func (d *yamlDoc) text(n *yaml.Node, key string) (string, bool) {
	s, ok := d.str(n, key)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(n, "%q is empty; write its text", key)
		return "", false
	}
	return strings.TrimSpace(s), ok
}

func (d *yamlDoc) number(n *yaml.Node, key string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err == nil {
			return f, true
		}
	}
	d.errorf(n, "%q must be a number, not %s", key, describe(n))
	return 0, false
}

func (d *yamlDoc) boolean(n *yaml.Node, key string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, true
		}
	}
	d.errorf(n, "%q must be true or false, not %s", key, describe(n))
	return false, false
}

// list calls fn for each item of the sequence n.
func (d *yamlDoc) list(n *yaml.Node, key string, fn func(item *yaml.Node)) bool {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%q must be a list (items starting with '- '), not %s", key, describe(n))
		return false
	}
	for _, item := range n.Content {
		fn(item)
	}
	return true
}

// texts reads a list of non-empty text items.
func (d *yamlDoc) texts(n *yaml.Node, key string) []string {
	var out []string
	d.list(n, key, func(item *yaml.Node) {
		if s, ok := d.text(item, key+" item"); ok {
			out = append(out, s)
		}
	})
	return out
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "empty"
		case "!!str":
			return fmt.Sprintf("the text %q", n.Value)
		}
		return n.Value
	}
	return "an alias"
}

// suggest names the known key nearest to key, if one is close enough to be a
// likely typo, and otherwise lists them all.
func suggest(key string, known []string) string {
	best, bestDist := "", (len(key)+1)/3+1
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return fmt.Sprintf("; known keys are %s", strings.Join(known, ", "))
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
