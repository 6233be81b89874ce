package course

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"
)

// Block kinds, as written in a fenced code block's info string.
var blockKinds = []string{"question", "reflection", "essay"}

// blockDoc returns a reader for the YAML inside a fenced code block, mapping
// positions in it to positions in the lesson file.
func (lf *lessonFile) blockDoc(fcb *ast.FencedCodeBlock) (*yamlDoc, []byte) {
	lines := fcb.Lines()
	var src bytes.Buffer
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		src.Write(seg.Value(lf.body()))
	}
	return &yamlDoc{r: lf.r, pos: func(line, col int) (int, int) {
		if lines.Len() == 0 {
			return lf.nodePos(fcb)
		}
		seg := lines.At(min(max(line, 1), lines.Len()) - 1)
		l, c := lf.position(seg.Start)
		return l, c + col - 1
	}}, src.Bytes()
}

// readBlock reads an interactive block of the given kind, or returns nil
// after reporting why it cannot.
func (ld *loader) readBlock(lf *lessonFile, fcb *ast.FencedCodeBlock, kind string) Block {
	d, src := lf.blockDoc(fcb)
	if len(bytes.TrimSpace(src)) == 0 {
		line, col := lf.nodePos(fcb)
		lf.r.at(line, col, "%s block is empty; write its id and prompt as YAML (see docs/course-format.md)", kind)
		return nil
	}
	root := d.parse(src, "the "+kind+" block")
	if root == nil {
		return nil
	}
	switch kind {
	case "question":
		return ld.readQuestion(d, root)
	case "reflection":
		r := &Reflection{}
		seen := d.fields(root, "a reflection", []string{"id", "prompt"}, func(key string, v *yaml.Node) {
			switch key {
			case "id":
				r.ID = ld.blockID(d, v)
			case "prompt":
				r.Prompt = ld.markdown(d, v, key, false)
			}
		})
		d.require(root, seen, "the reflection", "id", "prompt")
		return r
	default:
		e := &Essay{}
		seen := d.fields(root, "an essay", []string{"id", "title", "prompt", "words"}, func(key string, v *yaml.Node) {
			switch key {
			case "id":
				e.ID = ld.blockID(d, v)
			case "title":
				e.Title, _ = d.text(v, key)
			case "prompt":
				e.Prompt = ld.markdown(d, v, key, false)
			case "words":
				if f, ok := d.number(v, key); ok {
					if f < 1 || f != float64(int(f)) {
						d.errorf(v, "words must be a whole number above 0, such as 1500")
					}
					e.Words = int(f)
				}
			}
		})
		d.require(root, seen, "the essay", "id", "title", "prompt")
		return e
	}
}

// blockID reads the id of a question, reflection or essay; these share one
// namespace across the course because they become activity ids.
func (ld *loader) blockID(d *yamlDoc, v *yaml.Node) string {
	id, ok := d.text(v, "id")
	if !ok {
		return ""
	}
	if !validID(id) {
		d.errorf(v, "id %q is not valid: %s", id, idRule)
		return id
	}
	line, col := d.pos(v.Line, v.Column)
	if first, dup := ld.blockIDs[id]; dup {
		d.r.at(line, col, "duplicate id %q (first used at %s); give each question, reflection and essay its own id", id, first)
		return id
	}
	ld.blockIDs[id] = fmt.Sprintf("%s:%d:%d", d.r.rel, line, col)
	return id
}

// markdown renders a text value as Markdown: inline when the value is one
// paragraph and inline is set, as blocks otherwise. Raw HTML is reported.
func (ld *loader) markdown(d *yamlDoc, v *yaml.Node, key string, inline bool) string {
	s, ok := d.text(v, key)
	if !ok {
		return ""
	}
	src := []byte(s)
	doc := ld.md.Parser().Parse(text.NewReader(src))
	raw := false
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			raw = true
		case *ast.Image:
			if entering {
				d.errorf(v, "%q contains an image; put images and media in the lesson text, not in %s", key, key)
			}
		case *ast.Link:
			if !entering {
				break
			}
			dest := string(linkDestination(n))
			if !hasExternalScheme(dest) {
				d.errorf(v, "%q links to %q; links in %s must be full http(s) URLs (put local links and media in the lesson text)", key, dest, key)
			}
			setExternal(n)
		case *ast.AutoLink:
			setExternal(n)
		}
		return ast.WalkContinue, nil
	})
	if raw {
		d.errorf(v, "%q contains raw HTML, which is not allowed; use Markdown", key)
	}
	var root ast.Node = doc
	if p, ok := doc.FirstChild().(*ast.Paragraph); inline && ok && doc.ChildCount() == 1 {
		root = p
	}
	var b bytes.Buffer
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		_ = ld.md.Renderer().Render(&b, src, c)
	}
	return strings.TrimSpace(b.String())
}

func linkDestination(n ast.Node) []byte {
	switch n := n.(type) {
	case *ast.Link:
		return n.Destination
	case *ast.Image:
		return n.Destination
	}
	return nil
}

// suggestKind names the block kind an unknown info string was probably meant
// to be, or returns "".
func suggestKind(info string) string {
	info = strings.ToLower(info)
	for _, k := range blockKinds {
		if info != k && (editDistance(info, k) <= 2 || strings.HasPrefix(info, k)) {
			return k
		}
	}
	if slices.Contains([]string{"quiz", "mcq", "knowledge-check", "check"}, info) {
		return "question"
	}
	return ""
}
