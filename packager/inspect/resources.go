package inspect

import (
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// manifest checks one <manifest> (the root or a sub-manifest): its
// organizations' references and its resources' files. base is the xml:base
// in force outside it.
func (c *checker) manifest(m *element, base string) {
	cp := c.fam.cpNS
	base += m.attr(xmlNS, "base")
	for _, orgs := range m.childrenNamed(cp, "organizations") {
		if def := orgs.attr("", "default"); def != "" {
			c.refs = append(c.refs, reference{line: orgs.attrLine("", "default"), from: "<organizations default>", id: def, wantKind: "organization"})
		}
		for _, org := range orgs.childrenNamed(cp, "organization") {
			c.items(org)
		}
	}
	for _, res := range m.childrenNamed(cp, "resources") {
		resBase := base + res.attr(xmlNS, "base")
		for _, r := range res.childrenNamed(cp, "resource") {
			c.resource(r, resBase+r.attr(xmlNS, "base"))
		}
	}
	for _, sub := range m.childrenNamed(cp, "manifest") {
		c.manifest(sub, base)
	}
}

// locations checks the metadata files adlcp:location names, which count as
// listed: they belong to the manifest, not to a resource.
func (c *checker) locations(root *element) {
	for _, loc := range descendants(root, c.fam.adlcpNS, "location") {
		if p := c.href(loc.line, "metadata file", "", loc.trimmedText()); p != "" {
			c.listed[p] = true
		}
	}
}

// items records the identifierrefs of an organization's or item's items.
func (c *checker) items(parent *element) {
	for _, it := range parent.childrenNamed(c.fam.cpNS, "item") {
		if ref := it.attr("", "identifierref"); ref != "" {
			c.refs = append(c.refs, reference{line: it.attrLine("", "identifierref"), from: "item " + strconv.Quote(it.attr("", "identifier")),
				id: ref, wantKind: "resource", allowOther: "manifest", item: true})
		}
		c.items(it)
	}
}

func (c *checker) resource(r *element, base string) {
	c.rep.Resources++
	id := r.attr("", "identifier")
	sco := false
	for _, a := range r.attrs {
		if a.ns != c.fam.adlcpNS || !strings.EqualFold(a.local, "scormtype") {
			continue
		}
		if a.local != c.fam.scormType {
			c.rep.manifestf(a.line, "%s: SCORM %s spells it adlcp:%s", a.qname(), c.fam.name, c.fam.scormType)
		}
		// The schema rejects other spellings of the value; counting them
		// here would only add a second, vaguer problem.
		sco = strings.EqualFold(strings.TrimSpace(a.value), "sco")
	}
	href := r.attr("", "href")
	if sco {
		c.rep.SCOs++
		c.scoIDs[id] = true
		if href == "" {
			c.rep.manifestf(r.line, "SCO resource %q has no href, so there is nothing to launch", id)
		}
	}
	if href != "" {
		c.href(r.attrLine("", "href"), "resource "+strconv.Quote(id)+" href", base, href)
	}
	for _, f := range r.childrenNamed(c.fam.cpNS, "file") {
		if p := c.href(f.line, "file", base, f.attr("", "href")); p != "" {
			c.listed[p] = true
		}
	}
	for _, dep := range r.childrenNamed(c.fam.cpNS, "dependency") {
		if ref := dep.attr("", "identifierref"); ref != "" {
			c.refs = append(c.refs, reference{line: dep.line, from: "dependency of resource " + strconv.Quote(id), id: ref, wantKind: "resource"})
		}
	}
}

var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]+:|^//`)

// href reports a reference that does not name a file in the zip and returns
// the path it names, "" when it is external or unusable.
func (c *checker) href(line int, what, base, href string) string {
	if href == "" {
		return ""
	}
	target := base + href
	if scheme.MatchString(target) {
		return "" // external: not ours to check
	}
	shown := strconv.Quote(href)
	if base != "" {
		shown += " (" + strconv.Quote(target) + " with xml:base)"
	}
	if strings.Contains(target, `\`) {
		c.rep.manifestf(line, `%s %s uses a backslash; use "/"`, what, shown)
		return ""
	}
	p, _, _ := strings.Cut(target, "#")
	p, _, _ = strings.Cut(p, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if strings.HasPrefix(p, "/") {
		c.rep.manifestf(line, "%s %s is an absolute path; make it relative to the package root", what, shown)
		return ""
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") {
		c.rep.manifestf(line, "%s %s points outside the package", what, shown)
		return ""
	}
	if c.ar.files[p] {
		return p
	}
	if actual, ok := c.ar.lower[strings.ToLower(p)]; ok {
		c.rep.manifestf(line, "%s %s is not in the zip, which holds %q; names are case-sensitive on most servers", what, shown, actual)
	} else {
		c.rep.manifestf(line, "%s %s is not in the zip", what, shown)
	}
	return p
}

// references checks every identifierref against the identifiers.
func (c *checker) references() {
	for _, r := range c.refs {
		target, ok := c.ids[r.id]
		switch {
		case !ok:
			c.rep.manifestf(r.line, "%s refers to %s %q, which does not exist", r.from, r.wantKind, r.id)
		case target.local != r.wantKind && target.local != r.allowOther:
			c.rep.manifestf(r.line, "%s refers to %q, which is the <%s> on line %d, not a <%s>", r.from, r.id, target.local, target.line, r.wantKind)
		}
	}
}

// unlisted reports files in the zip that no <file> lists: LMSs that copy
// only listed files would leave them out. The manifest and the schema files
// packages often carry at the root are exempt.
func (c *checker) unlisted(root *element) {
	line := root.line
	for _, res := range root.childrenNamed(c.fam.cpNS, "resources") {
		line = res.line
	}
	for _, name := range slices.Sorted(maps.Keys(c.ar.files)) {
		root := !strings.Contains(name, "/")
		ext := strings.ToLower(path.Ext(name))
		if name == ManifestName || c.listed[name] || (root && (ext == ".xsd" || ext == ".dtd")) {
			continue
		}
		c.rep.manifestf(line, "%q is in the zip but no resource lists it in a <file> element", name)
	}
}

// launchable reports a package in which no item launches a SCO.
func (c *checker) launchable(root *element) {
	if c.rep.SCOs == 0 {
		line := root.line
		for _, res := range root.childrenNamed(c.fam.cpNS, "resources") {
			line = res.line
		}
		c.rep.manifestf(line, `no resource is a SCO (adlcp:%s="sco"): the LMS would have nothing to launch, and Moodle treats resources without it as assets`, c.fam.scormType)
		return
	}
	for _, r := range c.refs {
		if r.item && c.scoIDs[r.id] {
			return
		}
	}
	line := root.line
	for _, orgs := range root.childrenNamed(c.fam.cpNS, "organizations") {
		line = orgs.line
	}
	c.rep.manifestf(line, "no item refers to a SCO resource, so the learner could not launch anything")
}

// descendants returns the elements with this name below e, in document order.
func descendants(e *element, ns, local string) []*element {
	var out []*element
	for _, ch := range e.children {
		if ch.is(ns, local) {
			out = append(out, ch)
		}
		out = append(out, descendants(ch, ns, local)...)
	}
	return out
}
