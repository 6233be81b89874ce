package xapi

import (
	"fmt"
)

// FormatIDs rewrites a stored statement for GET with format=ids
// (Communication §2.1.3): Agents and identified Groups keep only their
// objectType and inverse functional identifier, anonymous Groups only their
// objectType and members (each reduced the same way), Activities and Verbs
// only their id. This applies wherever they occur:
// actor, object, authority, context (instructor, team, context activities,
// 2.0 context agents and groups) and inside a SubStatement. Everything else
// is copied exactly. Context activities are always written as arrays.
func FormatIDs(raw []byte) ([]byte, error) {
	return format(raw, &formatter{ids: true})
}

// FormatCanonical rewrites a stored statement for GET with format=canonical
// (Communication §2.1.3, Language Filtering Requirements): every language map
// in an Activity's definition (name, description, interaction components)
// and in the verb's display keeps only the entry best matching languages, a
// list of language ranges in order of preference as ParseAcceptLanguage
// returns. Agents and Groups are returned as in exact. The statement's own
// definitions stand in for the canonical ones, since this package keeps no
// activity store; an LRS that does would merge them first.
//
// A map entry is chosen by the first range that matches a tag as RFC 2616
// §14.4 says (equal, or a prefix followed by "-"; "*" matches anything);
// failing that, by the first range that matches once truncated (RFC 4647
// §3.4 lookup: "en-US" falls back to "en"); failing that, the map's first
// entry as sent.
func FormatCanonical(raw []byte, languages []string) ([]byte, error) {
	return format(raw, &formatter{langs: languages})
}

func format(raw []byte, f *formatter) ([]byte, error) {
	t, err := parseTree(string(raw))
	if err != nil {
		return nil, fmt.Errorf("format statement: %w", err)
	}
	defer t.release()
	if t.at(t.root()).kind != kindObject {
		return nil, fmt.Errorf("format statement: not a JSON object")
	}
	f.t = t
	return f.statement(make([]byte, 0, len(raw)), t.root()), nil
}

// formatter writes a statement in the ids or canonical format. Values of an
// unexpected shape are copied unchanged: stored statements were validated
// on the way in.
type formatter struct {
	t     *tree
	ids   bool
	langs []string
}

// members writes object i, with fn writing each member's value.
func (f *formatter) members(dst []byte, i int32, fn func(dst []byte, key string, v int32) []byte) []byte {
	dst = append(dst, '{')
	for j := range f.t.at(i).n {
		key, v := f.t.member(i, j)
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, key)
		dst = append(dst, ':')
		dst = fn(dst, key, v)
	}
	return append(dst, '}')
}

func (f *formatter) statement(dst []byte, i int32) []byte {
	return f.members(dst, i, func(dst []byte, key string, v int32) []byte {
		switch key {
		case "actor", "authority":
			return f.agent(dst, v)
		case "verb":
			return f.verb(dst, v)
		case "object":
			return f.object(dst, v)
		case "context":
			return f.context(dst, v)
		}
		return f.t.appendNode(dst, v)
	})
}

func (f *formatter) object(dst []byte, i int32) []byte {
	if f.t.at(i).kind != kindObject {
		return f.t.appendNode(dst, i)
	}
	switch f.t.str(i, "objectType") {
	case "", "Activity":
		return f.activity(dst, i)
	case "Agent", "Group":
		return f.agent(dst, i)
	case "SubStatement":
		return f.statement(dst, i)
	}
	return f.t.appendNode(dst, i)
}

// agent writes an Agent or Group; only the ids format changes it.
func (f *formatter) agent(dst []byte, i int32) []byte {
	t := f.t
	if !f.ids || t.at(i).kind != kindObject {
		return t.appendNode(dst, i)
	}
	identified := false
	for _, k := range []string{"mbox", "mbox_sha1sum", "openid", "account"} {
		identified = identified || t.get(i, k) >= 0
	}
	dst = append(dst, '{')
	for j := range t.at(i).n {
		key, v := t.member(i, j)
		switch key {
		case "objectType", "mbox", "mbox_sha1sum", "openid", "account":
		case "member":
			if identified || t.at(v).kind != kindArray {
				continue
			}
		default:
			continue
		}
		if dst[len(dst)-1] != '{' {
			dst = append(dst, ',')
		}
		dst = appendString(dst, key)
		dst = append(dst, ':')
		if key == "member" {
			dst = f.array(dst, v, f.agent)
		} else {
			dst = t.appendNode(dst, v)
		}
	}
	return append(dst, '}')
}

func (f *formatter) verb(dst []byte, i int32) []byte {
	if f.t.at(i).kind != kindObject {
		return f.t.appendNode(dst, i)
	}
	if f.ids {
		dst = append(dst, `{"id":`...)
		if id := f.t.get(i, "id"); id >= 0 {
			dst = f.t.appendNode(dst, id)
		} else {
			dst = append(dst, `""`...)
		}
		return append(dst, '}')
	}
	return f.members(dst, i, func(dst []byte, key string, v int32) []byte {
		if key == "display" {
			return f.langMap(dst, v)
		}
		return f.t.appendNode(dst, v)
	})
}

func (f *formatter) activity(dst []byte, i int32) []byte {
	t := f.t
	if t.at(i).kind != kindObject {
		return t.appendNode(dst, i)
	}
	if f.ids {
		// The id alone: an Activity's objectType is optional, and ADL's
		// conformance suite counts one key (XAPI-00171).
		dst = append(dst, '{')
		if v := t.get(i, "id"); v >= 0 {
			dst = appendString(dst, "id")
			dst = append(dst, ':')
			dst = t.appendNode(dst, v)
		}
		return append(dst, '}')
	}
	return f.members(dst, i, func(dst []byte, key string, v int32) []byte {
		if key == "definition" && t.at(v).kind == kindObject {
			return f.definition(dst, v)
		}
		return t.appendNode(dst, v)
	})
}

func (f *formatter) definition(dst []byte, i int32) []byte {
	return f.members(dst, i, func(dst []byte, key string, v int32) []byte {
		switch key {
		case "name", "description":
			return f.langMap(dst, v)
		case "choices", "scale", "source", "target", "steps":
			return f.array(dst, v, func(dst []byte, c int32) []byte {
				if f.t.at(c).kind != kindObject {
					return f.t.appendNode(dst, c)
				}
				return f.members(dst, c, func(dst []byte, key string, v int32) []byte {
					if key == "description" {
						return f.langMap(dst, v)
					}
					return f.t.appendNode(dst, v)
				})
			})
		}
		return f.t.appendNode(dst, v)
	})
}

func (f *formatter) context(dst []byte, i int32) []byte {
	t := f.t
	if t.at(i).kind != kindObject {
		return t.appendNode(dst, i)
	}
	return f.members(dst, i, func(dst []byte, key string, v int32) []byte {
		switch key {
		case "instructor", "team":
			return f.agent(dst, v)
		case "contextActivities":
			if t.at(v).kind != kindObject {
				break
			}
			return f.members(dst, v, func(dst []byte, _ string, list int32) []byte {
				if t.at(list).kind == kindObject {
					dst = append(dst, '[')
					dst = f.activity(dst, list)
					return append(dst, ']')
				}
				return f.array(dst, list, f.activity)
			})
		case "contextAgents", "contextGroups":
			return f.array(dst, v, func(dst []byte, c int32) []byte {
				if t.at(c).kind != kindObject {
					return t.appendNode(dst, c)
				}
				return f.members(dst, c, func(dst []byte, key string, v int32) []byte {
					if key == "agent" || key == "group" {
						return f.agent(dst, v)
					}
					return t.appendNode(dst, v)
				})
			})
		}
		return t.appendNode(dst, v)
	})
}

// array writes array i with fn writing each element.
func (f *formatter) array(dst []byte, i int32, fn func([]byte, int32) []byte) []byte {
	if f.t.at(i).kind != kindArray {
		return f.t.appendNode(dst, i)
	}
	dst = append(dst, '[')
	for j := range f.t.at(i).n {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = fn(dst, f.t.elem(i, j))
	}
	return append(dst, ']')
}

// langMap writes a language map, reduced to one entry in canonical format.
func (f *formatter) langMap(dst []byte, i int32) []byte {
	t := f.t
	if f.ids || t.at(i).kind != kindObject || t.at(i).n <= 1 {
		return t.appendNode(dst, i)
	}
	j := pickLanguage(t, i, f.langs)
	key, v := t.member(i, j)
	dst = append(dst, '{')
	dst = appendString(dst, key)
	dst = append(dst, ':')
	dst = t.appendNode(dst, v)
	return append(dst, '}')
}
