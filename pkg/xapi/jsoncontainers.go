package xapi

// object parses the object at t.pos. A property name given twice is an
// error (Data §2.2: "A Statement MUST use each property no more than one
// time"; 2.0 makes rejection mandatory), reported at the second occurrence.
func (t *tree) object(depth int) (int32, *ValidationError) {
	start := int32(t.pos)
	t.pos++
	base := len(t.stackKids)
	var seen map[string]struct{}
	t.skipSpace()
	if t.pos < len(t.src) && t.src[t.pos] == '}' {
		t.pos++
		return t.closeContainer(kindObject, start, base), nil
	}
	for {
		t.skipSpace()
		if t.pos >= len(t.src) || t.src[t.pos] != '"' {
			return -1, t.syntax("expected a property name in double quotes")
		}
		key, err := t.string()
		if err != nil {
			return -1, err
		}
		// Objects are small; compare in place until one is not.
		members := t.stackKeys[base:]
		if seen == nil && len(members) >= 16 {
			seen = make(map[string]struct{}, 2*len(members))
			for _, k := range members {
				seen[k] = struct{}{}
			}
		}
		dup := false
		if seen != nil {
			_, dup = seen[key]
			seen[key] = struct{}{}
		} else {
			for _, k := range members {
				if k == key {
					dup = true
					break
				}
			}
		}
		if dup {
			return -1, failAt(key, "is given more than once")
		}
		t.skipSpace()
		if t.pos >= len(t.src) || t.src[t.pos] != ':' {
			return -1, t.syntax("expected ':' after a property name").under(key)
		}
		t.pos++
		t.skipSpace()
		child, err := t.value(depth + 1)
		if err != nil {
			return -1, err.under(key)
		}
		t.stackKeys = append(t.stackKeys, key)
		t.stackKids = append(t.stackKids, child)
		t.skipSpace()
		if t.pos >= len(t.src) {
			return -1, t.syntax("unexpected end of input in an object")
		}
		switch t.src[t.pos] {
		case ',':
			t.pos++
		case '}':
			t.pos++
			return t.closeContainer(kindObject, start, base), nil
		default:
			return -1, t.syntax("expected ',' or '}' after a property value")
		}
	}
}

// array parses the array at t.pos.
func (t *tree) array(depth int) (int32, *ValidationError) {
	start := int32(t.pos)
	t.pos++
	base := len(t.stackKids)
	t.skipSpace()
	if t.pos < len(t.src) && t.src[t.pos] == ']' {
		t.pos++
		return t.closeContainer(kindArray, start, base), nil
	}
	for i := 0; ; i++ {
		t.skipSpace()
		child, err := t.value(depth + 1)
		if err != nil {
			return -1, err.at(i)
		}
		t.stackKeys = append(t.stackKeys, "")
		t.stackKids = append(t.stackKids, child)
		t.skipSpace()
		if t.pos >= len(t.src) {
			return -1, t.syntax("unexpected end of input in an array")
		}
		switch t.src[t.pos] {
		case ',':
			t.pos++
		case ']':
			t.pos++
			return t.closeContainer(kindArray, start, base), nil
		default:
			return -1, t.syntax("expected ',' or ']' after an array element")
		}
	}
}

// closeContainer moves the children collected since base into the tree's
// flat lists and adds the container node.
func (t *tree) closeContainer(k kind, start int32, base int) int32 {
	first := int32(len(t.kids))
	t.kids = append(t.kids, t.stackKids[base:]...)
	t.keys = append(t.keys, t.stackKeys[base:]...)
	n := int32(len(t.stackKids) - base)
	t.stackKids = t.stackKids[:base]
	t.stackKeys = t.stackKeys[:base]
	return t.add(node{kind: k, start: start, end: int32(t.pos), first: first, n: n})
}

// root is the document's top-level node: the last one added.
func (t *tree) root() int32 { return int32(len(t.nodes) - 1) }

func (t *tree) at(i int32) *node { return &t.nodes[i] }

// raw is the exact source text of a node.
func (t *tree) raw(i int32) string {
	n := &t.nodes[i]
	return t.src[n.start:n.end]
}

// member returns the j-th member of object i.
func (t *tree) member(i int32, j int32) (string, int32) {
	k := t.nodes[i].first + j
	return t.keys[k], t.kids[k]
}

// elem returns the j-th element of array i.
func (t *tree) elem(i int32, j int32) int32 {
	return t.kids[t.nodes[i].first+j]
}

// n returns the number of members or elements of container i, or -1 when
// i is absent (-1) or not a container.
func (t *tree) n(i int32) int32 {
	if i < 0 || t.nodes[i].kind != kindObject && t.nodes[i].kind != kindArray {
		return -1
	}
	return t.nodes[i].n
}

// get returns the value of property key of object i, or -1 (also when i is
// -1 or not an object).
func (t *tree) get(i int32, key string) int32 {
	if i < 0 {
		return -1
	}
	n := &t.nodes[i]
	if n.kind != kindObject {
		return -1
	}
	for k := n.first; k < n.first+n.n; k++ {
		if t.keys[k] == key {
			return t.kids[k]
		}
	}
	return -1
}

// str returns the string value of property key of object i, or "".
func (t *tree) str(i int32, key string) string {
	if v := t.get(i, key); v >= 0 && t.nodes[v].kind == kindString {
		return t.nodes[v].str
	}
	return ""
}
