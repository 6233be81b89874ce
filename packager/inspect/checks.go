package inspect

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Namespaces of SCORM manifests.
const (
	cp12NS      = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	cp2004NS    = "http://www.imsglobal.org/xsd/imscp_v1p1"
	adlcp12NS   = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
	adlcp2004NS = "http://www.adlnet.org/xsd/adlcp_v1p3"
	imsssNS     = "http://www.imsglobal.org/xsd/imsss"
	adlnavNS    = "http://www.adlnet.org/xsd/adlnav_v1p3"
	adlseqNS    = "http://www.adlnet.org/xsd/adlseq_v1p3"
)

// Entry schemas, relative to Options.SchemaDir.
const (
	schema12   = "scorm12/manifest.xsd"
	schema2004 = "scorm2004_4th/manifest.xsd"
)

// family is what differs between SCORM 1.2 and SCORM 2004 manifests.
type family struct {
	name      string // "1.2" or "2004"
	cpNS      string
	adlcpNS   string
	schema    string
	scormType string // the attribute's spelling
}

func familyOf(cpNS string) *family {
	switch cpNS {
	case cp12NS:
		return &family{name: "1.2", cpNS: cp12NS, adlcpNS: adlcp12NS, schema: schema12, scormType: "scormtype"}
	case cp2004NS:
		return &family{name: "2004", cpNS: cp2004NS, adlcpNS: adlcp2004NS, schema: schema2004, scormType: "scormType"}
	}
	return nil
}

// schemaVersions are the schemaversion values Moodle recognises, with the
// content-packaging namespace each goes with. Moodle takes anything else as 1.2.
var schemaVersions = map[string]string{
	"1.2":              cp12NS,
	"CAM 1.3":          cp2004NS,
	"2004 3rd Edition": cp2004NS,
	"2004 4th Edition": cp2004NS,
}

// extension is a namespace SCORM adds to content packaging.
type extension struct {
	prefix string // the literal prefix Moodle matches
	name   string // for messages
}

var extensions = map[string]extension{
	adlcp12NS:   {"adlcp", "ADL content packaging"},
	adlcp2004NS: {"adlcp", "ADL content packaging"},
	imsssNS:     {"imsss", "IMS Simple Sequencing"},
	adlnavNS:    {"adlnav", "ADL navigation"},
	adlseqNS:    {"adlseq", "ADL sequencing"},
}

// checkManifest checks the manifest's structure and its references to the
// zip's files, and returns its family, nil when it is not a SCORM manifest.
func checkManifest(root *element, ar *archive, rep *Report) *family {
	if root.local != "manifest" {
		rep.manifestf(root.line, "the root element is <%s>, not <manifest>", root.qname())
		return nil
	}
	fam := familyOf(root.ns)
	version := schemaVersion(root, fam, rep)
	if fam == nil {
		if root.ns == "" {
			rep.manifestf(root.line, "<manifest> has no namespace; SCORM 1.2 uses %s, SCORM 2004 %s", cp12NS, cp2004NS)
		} else {
			rep.manifestf(root.line, "<manifest> is in the namespace %s; SCORM 1.2 uses %s, SCORM 2004 %s", root.ns, cp12NS, cp2004NS)
		}
		rep.Version = version
		return nil
	}
	rep.Version = cmp.Or(version, fam.name)
	c := &checker{fam: fam, ar: ar, rep: rep,
		ids: map[string]*element{}, listed: map[string]bool{}, reported: map[string]bool{}, scoIDs: map[string]bool{}}
	c.walk(root)
	c.manifest(root, "")
	c.locations(root)
	c.references()
	c.unlisted(root)
	c.launchable(root)
	return fam
}

// schemaVersion checks <metadata><schemaversion> and returns it when valid
// for the manifest's family.
func schemaVersion(root *element, fam *family, rep *Report) string {
	cpNS := root.ns
	var sv *element
	for _, md := range root.childrenNamed(cpNS, "metadata") {
		if s := md.childrenNamed(cpNS, "schemaversion"); len(s) > 0 {
			sv = s[0]
		}
	}
	suggest := `"2004 4th Edition" or "1.2"`
	if fam != nil && fam.name == "1.2" {
		suggest = `"1.2"`
	} else if fam != nil {
		suggest = `"2004 4th Edition"`
	}
	if sv == nil {
		rep.manifestf(root.line, "no <metadata><schemaversion>; Moodle would treat the package as SCORM 1.2; add %s", suggest)
		return ""
	}
	v := sv.trimmedText()
	ns, known := schemaVersions[v]
	switch {
	case !known:
		rep.manifestf(sv.line, "schemaversion %q is not one Moodle knows (1.2, CAM 1.3, 2004 3rd Edition, 2004 4th Edition), so it would treat the package as SCORM 1.2; use %s", v, suggest)
		return ""
	case fam != nil && ns != fam.cpNS:
		rep.manifestf(sv.line, "schemaversion %q does not match the SCORM %s content-packaging namespace of <manifest>", v, fam.name)
		return ""
	}
	return v
}

type checker struct {
	fam      *family
	ar       *archive
	rep      *Report
	ids      map[string]*element // identifier → the element holding it
	listed   map[string]bool     // files named by <file> or adlcp:location
	reported map[string]bool     // prefix problems already reported
	refs     []reference
	scoIDs   map[string]bool
}

// reference is an identifierref to check once every identifier is known.
type reference struct {
	line       int
	from, id   string
	wantKind   string // the element it must name
	allowOther string // another element it may name
	item       bool   // from an <item>: a launch
}

// walk checks every element and attribute for Moodle's literal prefixes and
// xml:base placement, and collects identifiers.
func (c *checker) walk(e *element) {
	c.prefix("<"+e.qname()+">", e.line, e.prefix, e.ns)
	for _, a := range e.attrs {
		if a.ns != "" {
			c.prefix(a.qname(), a.line, a.prefix, a.ns)
		}
		if a.ns == xmlNS && a.local == "base" {
			if !e.is(c.fam.cpNS, "resource") {
				c.rep.manifestf(a.line, "xml:base on <%s>: Moodle honours xml:base only on <resource>; move it there", e.qname())
			}
			if a.value != "" && !strings.HasSuffix(a.value, "/") {
				c.rep.manifestf(a.line, `xml:base %q should end with "/": Moodle prepends it to each href as it is`, a.value)
			}
		}
	}
	if e.ns == c.fam.cpNS && slices.Contains([]string{"manifest", "organization", "item", "resource"}, e.local) {
		if id := e.attr("", "identifier"); id != "" {
			if first, dup := c.ids[id]; dup {
				c.rep.manifestf(e.line, "identifier %q of this <%s> is already used by the <%s> on line %d", id, e.local, first.local, first.line)
			} else {
				c.ids[id] = e
			}
		}
	}
	for _, ch := range e.children {
		c.walk(ch)
	}
}

// prefix reports a name whose literal prefix is not the one Moodle matches.
func (c *checker) prefix(name string, line int, prefix, ns string) {
	key := prefix + " " + ns
	if c.reported[key] {
		return
	}
	msg := ""
	if ext, ok := extensions[ns]; ok && prefix != ext.prefix {
		how := fmt.Sprintf("not %q", prefix+":")
		if prefix == "" {
			how = "not be the default namespace"
		}
		msg = fmt.Sprintf("%s: Moodle matches prefixes literally, so the %s namespace must use the prefix %q, %s", name, ext.name, ext.prefix+":", how)
	} else if want := c.extensionNS(prefix); want != "" && ns != want {
		msg = fmt.Sprintf("%s: the prefix %q is bound to %s, but SCORM %s needs %s there; Moodle reads every %s name as %s",
			name, prefix+":", ns, c.fam.name, want, prefix+":", extensions[want].name)
	} else if ns == c.fam.cpNS && prefix != "" {
		msg = fmt.Sprintf("%s: content-packaging elements must be unprefixed, in the default namespace; Moodle matches names literally", name)
	}
	if msg != "" {
		c.reported[key] = true
		c.rep.manifestf(line, "%s", msg)
	}
}

// extensionNS returns the namespace Moodle assumes for a prefix, "" for
// prefixes it does not know.
func (c *checker) extensionNS(prefix string) string {
	switch prefix {
	case "adlcp":
		return c.fam.adlcpNS
	case "imsss":
		return imsssNS
	case "adlnav":
		return adlnavNS
	case "adlseq":
		return adlseqNS
	}
	return ""
}

// sortProblems puts archive problems first, then manifest problems by line,
// keeping the order of problems on the same line.
func sortProblems(rep *Report) {
	slices.SortStableFunc(rep.Problems, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(rankFile(a), rankFile(b)),
			cmp.Compare(a.Line, b.Line),
		)
	})
}

func rankFile(p Problem) int {
	if p.File == ManifestName || p.File == cmi5Name || p.File == tincanName {
		return 1
	}
	return 0
}
