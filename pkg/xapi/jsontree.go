package xapi

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of a document, extensions included. The
// deepest structure the specification defines (a batch holding a statement
// whose SubStatement's context activity has interaction components) is
// about a dozen levels; the rest is room for extension values.
const maxDepth = 64

// kind is the JSON type of a node.
type kind uint8

const (
	kindNull kind = iota
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindObject
	kindArray
)

// node is one JSON value. Spans are byte offsets into tree.src, so writers
// can copy a value's exact text.
type node struct {
	// str is the decoded text of a string, or the literal text of a number.
	str        string
	start, end int32
	// first and n locate an object's members or an array's elements in
	// tree.kids (and, for objects, tree.keys).
	first, n int32
	kind     kind
}

// tree is a parsed JSON document: nodes in an arena, children in flat lists.
// Trees are pooled; strings handed out point into src, never into the tree.
type tree struct {
	src   string
	nodes []node
	kids  []int32
	keys  []string

	pos       int
	stackKids []int32
	stackKeys []string
}

var treePool = sync.Pool{New: func() any { return new(tree) }}

// parseTree parses src, which must hold exactly one JSON value (a leading
// UTF-8 byte order mark is ignored, as RFC 8259 §8.1 allows). The root is
// t.root(). Release the tree with release when done.
func parseTree(src string) (*tree, *ValidationError) {
	t := treePool.Get().(*tree)
	t.src = src
	t.pos = 0
	if strings.HasPrefix(src, "\xef\xbb\xbf") {
		t.pos = 3
	}
	if len(src) > 1<<31-1 {
		t.release()
		return nil, fail("document larger than 2 GiB")
	}
	t.skipSpace()
	if _, err := t.value(1); err != nil {
		t.release()
		return nil, err
	}
	t.skipSpace()
	if t.pos != len(t.src) {
		err := t.syntax("unexpected data after the JSON value")
		t.release()
		return nil, err
	}
	return t, nil
}

// release returns the tree to the pool, dropping its references to src.
func (t *tree) release() {
	if cap(t.nodes) > 1<<17 {
		return // an unusually large document; let it go
	}
	// Drop references to src. Each release clears what its parse used, so
	// entries past len are already clear (the stack is popped without
	// clearing, but stays small).
	clear(t.nodes)
	clear(t.keys)
	clear(t.stackKeys[:cap(t.stackKeys)])
	t.nodes, t.kids, t.keys = t.nodes[:0], t.kids[:0], t.keys[:0]
	t.stackKids, t.stackKeys = t.stackKids[:0], t.stackKeys[:0]
	t.src = ""
	treePool.Put(t)
}

func (t *tree) syntax(msg string) *ValidationError {
	return fail(fmt.Sprintf("malformed JSON at byte %d: %s", t.pos, msg))
}

func (t *tree) skipSpace() {
	for t.pos < len(t.src) {
		switch t.src[t.pos] {
		case ' ', '\t', '\n', '\r':
			t.pos++
		default:
			return
		}
	}
}

func (t *tree) add(n node) int32 {
	t.nodes = append(t.nodes, n)
	return int32(len(t.nodes) - 1)
}

// value parses the value at t.pos; depth counts the containers it is in.
func (t *tree) value(depth int) (int32, *ValidationError) {
	if t.pos >= len(t.src) {
		return -1, t.syntax("unexpected end of input")
	}
	start := int32(t.pos)
	switch c := t.src[t.pos]; {
	case c == '{' || c == '[':
		if depth > maxDepth {
			return -1, fail(fmt.Sprintf("nesting deeper than %d levels", maxDepth))
		}
		if c == '{' {
			return t.object(depth)
		}
		return t.array(depth)
	case c == '"':
		s, err := t.string()
		if err != nil {
			return -1, err
		}
		return t.add(node{kind: kindString, str: s, start: start, end: int32(t.pos)}), nil
	case c == 't':
		return t.literal("true", kindTrue)
	case c == 'f':
		return t.literal("false", kindFalse)
	case c == 'n':
		return t.literal("null", kindNull)
	case c == '-' || c >= '0' && c <= '9':
		if err := t.number(); err != nil {
			return -1, err
		}
		return t.add(node{kind: kindNumber, str: t.src[start:t.pos], start: start, end: int32(t.pos)}), nil
	}
	return -1, t.syntax(fmt.Sprintf("unexpected character %q", t.src[t.pos]))
}

func (t *tree) literal(word string, k kind) (int32, *ValidationError) {
	if !strings.HasPrefix(t.src[t.pos:], word) {
		return -1, t.syntax("invalid literal (expected " + word + ")")
	}
	start := int32(t.pos)
	t.pos += len(word)
	return t.add(node{kind: k, start: start, end: int32(t.pos)}), nil
}

// number scans an RFC 8259 §6 number.
func (t *tree) number() *ValidationError {
	s, i := t.src, t.pos
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		t.pos = i
		return t.syntax("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			t.pos = i
			return t.syntax("invalid number: no digits after the decimal point")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			t.pos = i
			return t.syntax("invalid number: no digits in the exponent")
		}
	}
	t.pos = i
	return nil
}

// string scans the string at t.pos and returns its decoded text. Strings
// without escapes are substrings of src and cost no allocation. Invalid
// UTF-8 and lone UTF-16 surrogates are rejected (Communication §1.4).
func (t *tree) string() (string, *ValidationError) {
	s := t.src
	i := t.pos + 1
	start := i
	for {
		if i >= len(s) {
			t.pos = i
			return "", t.syntax("unterminated string")
		}
		for i < len(s) && plainByte[s[i]] {
			i++
		}
		if i >= len(s) {
			continue
		}
		c := s[i]
		switch {
		case c == '"':
			t.pos = i + 1
			return s[start:i], nil
		case c == '\\':
			return t.escapedString(start, i)
		case c < 0x20:
			t.pos = i
			return "", t.syntax("control character in string")
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				t.pos = i
				return "", t.syntax("invalid UTF-8")
			}
			i += size
		}
	}
}

// plainByte marks the bytes a string can hold as they are: printable ASCII
// other than '"' and '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// escapedString finishes a string that has escapes, from the first one at i.
func (t *tree) escapedString(start, i int) (string, *ValidationError) {
	s := t.src
	var b strings.Builder
	b.Grow(i - start + 16)
	b.WriteString(s[start:i])
	for {
		if i >= len(s) {
			t.pos = i
			return "", t.syntax("unterminated string")
		}
		c := s[i]
		switch {
		case c == '"':
			t.pos = i + 1
			return b.String(), nil
		case c == '\\':
			if i+1 >= len(s) {
				t.pos = i
				return "", t.syntax("unterminated string")
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, n, ok := decodeUnicodeEscape(s[i:])
				if !ok {
					t.pos = i
					return "", t.syntax("invalid \\u escape or lone UTF-16 surrogate")
				}
				b.WriteRune(r)
				i += n
				continue
			default:
				t.pos = i
				return "", t.syntax("invalid escape sequence")
			}
			i += 2
		case c < 0x20:
			t.pos = i
			return "", t.syntax("control character in string")
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				t.pos = i
				return "", t.syntax("invalid UTF-8")
			}
			b.WriteString(s[i : i+size])
			i += size
		}
	}
}

// decodeUnicodeEscape decodes \uXXXX (and a following low surrogate when
// the first is a high one) at the start of s, returning the rune and the
// number of bytes used.
func decodeUnicodeEscape(s string) (rune, int, bool) {
	r1, ok := hex4(s)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r1) {
		return r1, 6, true
	}
	if r1 >= 0xDC00 || len(s) < 12 || s[6] != '\\' || s[7] != 'u' {
		return 0, 0, false
	}
	r2, ok := hex4(s[6:])
	if !ok {
		return 0, 0, false
	}
	r := utf16.DecodeRune(r1, r2)
	if r == utf8.RuneError {
		return 0, 0, false
	}
	return r, 12, true
}

// hex4 reads the four hex digits of a \uXXXX escape at the start of s.
func hex4(s string) (rune, bool) {
	if len(s) < 6 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[2:6]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}
