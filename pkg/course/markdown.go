package course

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns the Markdown dialect of lessons: CommonMark with GitHub
// tables, strikethrough, task lists and autolinks, rendered with coursekit's
// own callouts, quotations and audio/video players. Raw HTML is never
// rendered; the loader reports it instead.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(blockRenderer{}, 100)),
		),
	)
}

// calloutNode is a GitHub-style alert (> [!NOTE]) in a lesson.
type calloutNode struct {
	ast.BaseBlock
	kind string // note, tip, important, warning, caution
}

var kindCallout = ast.NewNodeKind("Callout")

func (n *calloutNode) Kind() ast.NodeKind            { return kindCallout }
func (n *calloutNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// quotationNode is a block quote with a citation as its last child.
type quotationNode struct{ ast.BaseBlock }

var kindQuotation = ast.NewNodeKind("Quotation")

func (n *quotationNode) Kind() ast.NodeKind            { return kindQuotation }
func (n *quotationNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// citationNode holds the inline content of a quotation's citation.
type citationNode struct{ ast.BaseBlock }

var kindCitation = ast.NewNodeKind("Citation")

func (n *citationNode) Kind() ast.NodeKind            { return kindCitation }
func (n *citationNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

var calloutKinds = []string{"note", "tip", "important", "warning", "caution"}

type blockRenderer struct{}

func (blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCallout, renderCallout)
	reg.Register(kindQuotation, renderQuotation)
	reg.Register(kindCitation, renderCitation)
	reg.Register(ast.KindImage, renderMedia)
}

func renderCallout(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*calloutNode)
	if entering {
		// role="note", not "alert": an aside may not be an alert, and a
		// warning in a lesson is not a live interruption.
		_, _ = w.WriteString(`<aside class="ck-callout ck-callout-` + n.kind + `" role="note" data-kind="` + n.kind + "\">\n")
	} else {
		_, _ = w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

func renderQuotation(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<figure class=\"ck-quotation\">\n")
	} else {
		_, _ = w.WriteString("</figure>\n")
	}
	return ast.WalkContinue, nil
}

func renderCitation(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<figcaption>")
	} else {
		_, _ = w.WriteString("</figcaption>\n")
	}
	return ast.WalkContinue, nil
}

// renderMedia renders image syntax as an image, an audio or a video player,
// by the file's extension.
func renderMedia(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	src := util.EscapeHTML(util.URLEscape(n.Destination, true))
	alt := util.EscapeHTML([]byte(plainText(n, source)))
	switch KindOf(string(n.Destination)) {
	case Audio, Video:
		tag := "audio"
		if KindOf(string(n.Destination)) == Video {
			tag = "video"
		}
		_, _ = w.WriteString("<" + tag + ` controls preload="metadata" src="`)
		_, _ = w.Write(src)
		_, _ = w.WriteString(`" aria-label="`)
		_, _ = w.Write(alt)
		_, _ = w.WriteString(`"><a href="`)
		_, _ = w.Write(src)
		_, _ = w.WriteString(`">`)
		_, _ = w.Write(alt)
		_, _ = w.WriteString("</a></" + tag + ">")
	default:
		_, _ = w.WriteString(`<img src="`)
		_, _ = w.Write(src)
		_, _ = w.WriteString(`" alt="`)
		_, _ = w.Write(alt)
		_, _ = w.WriteString(`" loading="lazy"`)
		if n.Title != nil {
			_, _ = w.WriteString(` title="`)
			_, _ = w.Write(util.EscapeHTML(n.Title))
			_ = w.WriteByte('"')
		}
		_ = w.WriteByte('>')
	}
	return ast.WalkSkipChildren, nil
}

// plainText is the text of n's inline children, without markup.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tt, ok := cc.(*ast.Text); ok {
					b.Write(tt.Segment.Value(source))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// slug is GitHub's heading anchor: lower case, punctuation dropped, spaces
// turned into hyphens.
func slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(text)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// transformQuote turns a block quote into a callout or a quotation when it is
// written as one, and leaves it alone otherwise.
func transformQuote(q *ast.Blockquote, source []byte) {
	first, ok := q.FirstChild().(*ast.Paragraph)
	if !ok || first.Lines().Len() == 0 {
		return
	}
	line := first.Lines().At(0)
	marker := bytes.TrimSpace(line.Value(source))
	if len(marker) > 3 && bytes.HasPrefix(marker, []byte("[!")) && marker[len(marker)-1] == ']' {
		kind := strings.ToLower(string(marker[2 : len(marker)-1]))
		for _, k := range calloutKinds {
			if k == kind {
				dropFirstLine(first, line.Stop)
				if !first.HasChildren() {
					q.RemoveChild(q, first)
				}
				replaceWith(q, &calloutNode{kind: kind})
				return
			}
		}
	}
	last, ok := q.LastChild().(*ast.Paragraph)
	if !ok || last == first {
		return
	}
	start := last.Lines().At(0)
	text := start.Value(source)
	trimmed := bytes.TrimLeft(text, " \t")
	var dash int
	switch {
	case bytes.HasPrefix(trimmed, []byte("—")):
		dash = len("—")
	case bytes.HasPrefix(trimmed, []byte("--")):
		dash = 2
	default:
		return
	}
	if t, ok := last.FirstChild().(*ast.Text); ok {
		skip := len(text) - len(trimmed) + dash
		seg := t.Segment.WithStart(min(t.Segment.Start+skip, t.Segment.Stop))
		t.Segment = seg.TrimLeftSpace(source)
	}
	cite := &citationNode{}
	for c := last.FirstChild(); c != nil; {
		next := c.NextSibling()
		cite.AppendChild(cite, c)
		c = next
	}
	q.RemoveChild(q, last)
	quote := &quotationNode{}
	replaceWith(q, quote)
	quote.AppendChild(quote, q)
	quote.AppendChild(quote, cite)
}

// dropFirstLine removes the inline nodes of a paragraph's first line.
func dropFirstLine(p *ast.Paragraph, stop int) {
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start >= stop {
			break
		}
		p.RemoveChild(p, c)
		c = next
	}
}

// replaceWith puts repl where n was and moves n's children into it, except
// when repl is a quotation, which wraps n itself.
func replaceWith(n ast.Node, repl ast.Node) {
	parent := n.Parent()
	parent.ReplaceChild(parent, n, repl)
	if _, wraps := repl.(*quotationNode); wraps {
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		repl.AppendChild(repl, c)
		c = next
	}
}
