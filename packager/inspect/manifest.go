package inspect

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

const xmlNS = "http://www.w3.org/XML/1998/namespace"

// maxDepth bounds element nesting; manifests nest items a few levels deep.
const maxDepth = 256

// element is a manifest element with its namespace resolved and its literal
// prefix kept, since Moodle matches prefixes, not namespaces.
type element struct {
	prefix, local, ns string
	attrs             []attribute
	children          []*element
	parent            *element
	text              string
	line              int
}

type attribute struct {
	prefix, local, ns, value string
	line                     int
}

func qname(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

func (e *element) qname() string            { return qname(e.prefix, e.local) }
func (a attribute) qname() string           { return qname(a.prefix, a.local) }
func (e *element) is(ns, local string) bool { return e.ns == ns && e.local == local }

// attr returns the value of the attribute, "" when absent.
func (e *element) attr(ns, local string) string {
	for _, a := range e.attrs {
		if a.ns == ns && a.local == local {
			return a.value
		}
	}
	return ""
}

// attrLine returns the line of the attribute, or of the element when absent.
func (e *element) attrLine(ns, local string) int {
	for _, a := range e.attrs {
		if a.ns == ns && a.local == local {
			return a.line
		}
	}
	return e.line
}

// childrenNamed returns the child elements with this name.
func (e *element) childrenNamed(ns, local string) []*element {
	var out []*element
	for _, c := range e.children {
		if c.is(ns, local) {
			out = append(out, c)
		}
	}
	return out
}

// parseManifest builds the element tree, reporting the first reason the
// manifest is not well-formed, namespaces included.
func parseManifest(data []byte, rep *Report) (*element, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// The encodings PHP's XML parser, and so Moodle, reads.
	switch enc := declaredEncoding(data); strings.ToLower(enc) {
	case "", "utf-8", "us-ascii":
	case "iso-8859-1":
		data = latin1ToUTF8(data)
	default:
		rep.manifestf(1, "encoding %q is not supported; save the manifest as UTF-8", enc)
		return nil, false
	}
	p := parser{data: data, lines: lineStarts(data)}
	err := p.parse()
	var syn *xml.SyntaxError
	var deep *tooDeep
	switch {
	case err == nil:
		return p.root, true
	case errors.As(err, &syn):
		rep.manifestf(syn.Line, "not well-formed XML: %s", syn.Msg)
	case errors.As(err, &deep):
		rep.manifestf(p.line(p.offset), "%v", err)
	default:
		rep.manifestf(p.line(p.offset), "not well-formed XML: %v", err)
	}
	return nil, false
}

var encodingDecl = regexp.MustCompile(`^<\?xml[^>]*\sencoding\s*=\s*["']([^"']*)["']`)

func declaredEncoding(data []byte) string {
	if m := encodingDecl.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// latin1ToUTF8 converts ISO-8859-1 up front, rather than through the
// decoder's CharsetReader, so that offsets stay offsets into the text parsed.
func latin1ToUTF8(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, b := range data {
		out = utf8.AppendRune(out, rune(b))
	}
	return out
}

// tooDeep refuses manifests nested deeper than any real one.
type tooDeep struct{}

func (*tooDeep) Error() string {
	return fmt.Sprintf("elements nested more than %d deep; refusing to parse further", maxDepth)
}

type parser struct {
	data   []byte
	lines  []int // byte offset where each line starts
	root   *element
	offset int64 // start of the token being handled
}

// wellFormed is a well-formedness error found beyond encoding/xml's own
// checks, which RawToken leaves to the caller.
type wellFormed struct{ msg string }

func (e *wellFormed) Error() string { return e.msg }

func (p *parser) parse() error {
	d := xml.NewDecoder(bytes.NewReader(p.data))
	d.Strict = true
	// parseManifest has already converted the text to UTF-8.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var cur *element
	scopes := []map[string]string{{"xml": xmlNS}}
	for {
		p.offset = d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if cur == nil && p.root != nil {
				return &wellFormed{"content after the root element"}
			}
			if len(scopes) > maxDepth {
				return &tooDeep{}
			}
			scope := declare(scopes[len(scopes)-1], t.Attr)
			scopes = append(scopes, scope)
			el, err := p.element(t, scope, d.InputOffset())
			if err != nil {
				return err
			}
			el.parent = cur
			if cur == nil {
				p.root = el
			} else {
				cur.children = append(cur.children, el)
			}
			cur = el
		case xml.EndElement:
			end := qname(t.Name.Space, t.Name.Local)
			if cur == nil {
				return &wellFormed{"unexpected end tag </" + end + ">"}
			}
			if end != cur.qname() {
				return &wellFormed{fmt.Sprintf("end tag </%s> does not match <%s> on line %d", end, cur.qname(), cur.line)}
			}
			scopes = scopes[:len(scopes)-1]
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return &wellFormed{"text outside the root element"}
			}
		}
	}
	switch {
	case cur != nil:
		return &wellFormed{"<" + cur.qname() + "> is not closed"}
	case p.root == nil:
		return &wellFormed{"no root element"}
	}
	return nil
}

// declare returns the prefix bindings in force inside an element.
func declare(outer map[string]string, attrs []xml.Attr) map[string]string {
	var scope map[string]string
	for _, a := range attrs {
		prefix, ok := "", false
		switch {
		case a.Name.Space == "xmlns":
			prefix, ok = a.Name.Local, true
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			ok = true
		}
		if !ok {
			continue
		}
		if scope == nil {
			scope = make(map[string]string, len(outer)+1)
			for k, v := range outer {
				scope[k] = v
			}
		}
		scope[prefix] = a.Value
	}
	if scope == nil {
		return outer
	}
	return scope
}

func (p *parser) element(t xml.StartElement, scope map[string]string, end int64) (*element, error) {
	line := p.line(p.offset)
	el := &element{prefix: t.Name.Space, local: t.Name.Local, line: line}
	ns, ok := scope[el.prefix]
	if !ok && el.prefix != "" {
		return nil, &wellFormed{"prefix \"" + el.prefix + "\" of <" + el.qname() + "> is not declared"}
	}
	el.ns = ns
	tag := p.data[p.offset:end]
	var seen []string
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		at := attribute{prefix: a.Name.Space, local: a.Name.Local, value: a.Value}
		if slices.Contains(seen, at.qname()) {
			return nil, &wellFormed{"attribute " + at.qname() + " appears twice in <" + el.qname() + ">"}
		}
		seen = append(seen, at.qname())
		if at.prefix != "" {
			if at.ns, ok = scope[at.prefix]; !ok {
				return nil, &wellFormed{"prefix \"" + at.prefix + "\" of " + at.qname() + " is not declared"}
			}
		}
		at.line = line + attrLine(tag, at.qname())
		el.attrs = append(el.attrs, at)
	}
	return el, nil
}

// attrLine returns how many lines into the start tag the attribute is, so
// problems point at the attribute in a tag spread over lines.
func attrLine(tag []byte, name string) int {
	for from := 0; ; {
		i := bytes.Index(tag[from:], []byte(name))
		if i < 0 {
			return 0
		}
		i += from
		rest := bytes.TrimLeft(tag[i+len(name):], " \t\r\n")
		if i > 0 && isSpace(tag[i-1]) && len(rest) > 0 && rest[0] == '=' {
			return bytes.Count(tag[:i], []byte("\n"))
		}
		from = i + len(name)
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line returns the 1-based line of a byte offset.
func (p *parser) line(offset int64) int {
	i, found := slices.BinarySearch(p.lines, int(offset))
	if found {
		return i + 1
	}
	return i
}

// text returns the element's text with surrounding space trimmed.
func (e *element) trimmedText() string { return strings.TrimSpace(e.text) }
