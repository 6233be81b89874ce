package inspect

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// The manifests of the xAPI-era packages, at the zip root.
const (
	cmi5Name   = "cmi5.xml"
	tincanName = "tincan.xml"
)

// Namespaces of the xAPI-era manifests.
const (
	cmi5NS   = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
	tincanNS = "http://projecttincan.com/tincan.xsd"
)

// schemaCMI5 is the cmi5 course structure schema, relative to SchemaDir.
const schemaCMI5 = "cmi5/CourseStructure.xsd"

// checkCMI5 checks cmi5.xml: well-formed, the course structure root, every
// id an absolute IRI and unique, at least one AU, every relative AU URL a
// file in the zip; then the schema.
func checkCMI5(ctx context.Context, opts Options, ar *archive, rep *Report) error {
	rep.Format, rep.doc = FormatCMI5, cmi5Name
	root, ok := parseManifest(ar.cmi5, rep)
	if !ok {
		return nil
	}
	if !root.is(cmi5NS, "courseStructure") {
		rep.manifestf(root.line, "the root element is <%s> in the namespace %q; a cmi5 course structure is <courseStructure> in %s", root.qname(), root.ns, cmi5NS)
		return nil
	}
	c := &checker{ar: ar, rep: rep}
	ids := map[string]*element{}
	var walk func(e *element)
	walk = func(e *element) {
		if e.ns == cmi5NS && (e.local == "course" || e.local == "block" || e.local == "au" || e.local == "objective") {
			id := e.attr("", "id")
			switch {
			case e.local == "objective" && e.attr("", "idref") != "":
				// a reference to an objective, not one
			case id == "":
				rep.manifestf(e.line, "<%s> has no id; give it an absolute IRI", e.local)
			case !scheme.MatchString(id) || id[0] == '/':
				rep.manifestf(e.attrLine("", "id"), "<%s> id %q is not an absolute IRI", e.local, id)
			case ids[id] != nil:
				rep.manifestf(e.attrLine("", "id"), "id %q of this <%s> is already used by the <%s> on line %d; ids must be unique in the course structure", id, e.local, ids[id].local, ids[id].line)
			default:
				ids[id] = e
			}
		}
		if e.is(cmi5NS, "au") {
			rep.SCOs++
			for _, u := range e.childrenNamed(cmi5NS, "url") {
				c.href(u.line, "AU url", "", u.trimmedText())
			}
		}
		for _, ch := range e.children {
			walk(ch)
		}
	}
	walk(root)
	if rep.SCOs == 0 {
		rep.manifestf(root.line, "the course structure has no <au>, so there is nothing to launch")
	}
	if opts.SchemaDir != "" {
		if _, err := os.Stat(filepath.Join(opts.SchemaDir, filepath.FromSlash(schemaCMI5))); errors.Is(err, fs.ErrNotExist) {
			rep.Schema = SchemaSkipped
			rep.Warnings = append(rep.Warnings, "schema validation skipped: "+schemaCMI5+" is not in "+opts.SchemaDir)
			return nil
		}
	}
	return validateSchema(ctx, opts, schemaCMI5, ar.cmi5, rep)
}

// checkTincan checks tincan.xml, which has no official schema here: the
// root and namespace, activities with unique absolute IRIs and a type, and
// at least one that launches a file in the zip.
func checkTincan(ar *archive, rep *Report) error {
	rep.Format, rep.doc = FormatXAPI, tincanName
	rep.Schema = SchemaSkipped
	rep.Warnings = append(rep.Warnings, "tincan.xml has no official schema; its structure was checked instead")
	root, ok := parseManifest(ar.tincan, rep)
	if !ok {
		return nil
	}
	if !root.is(tincanNS, "tincan") {
		rep.manifestf(root.line, "the root element is <%s> in the namespace %q; tincan.xml's is <tincan> in %s", root.qname(), root.ns, tincanNS)
		return nil
	}
	c := &checker{ar: ar, rep: rep}
	ids := map[string]int{}
	n := 0
	for _, list := range root.childrenNamed(tincanNS, "activities") {
		for _, a := range list.childrenNamed(tincanNS, "activity") {
			n++
			id := a.attr("", "id")
			switch {
			case id == "":
				rep.manifestf(a.line, "<activity> has no id; give it an absolute IRI")
			case !scheme.MatchString(id) || id[0] == '/':
				rep.manifestf(a.attrLine("", "id"), "activity id %q is not an absolute IRI", id)
			case ids[id] != 0:
				rep.manifestf(a.attrLine("", "id"), "activity id %q is already used on line %d", id, ids[id])
			default:
				ids[id] = a.line
			}
			if a.attr("", "type") == "" {
				rep.manifestf(a.line, "<activity> %q has no type; LRS reports group activities by it", id)
			}
			if len(a.childrenNamed(tincanNS, "name")) == 0 {
				rep.manifestf(a.line, "<activity> %q has no <name>", id)
			}
			for _, l := range a.childrenNamed(tincanNS, "launch") {
				rep.SCOs++
				c.href(l.line, "launch", "", l.trimmedText())
			}
		}
	}
	switch {
	case n == 0:
		rep.manifestf(root.line, "tincan.xml lists no <activities><activity>")
	case rep.SCOs == 0:
		rep.manifestf(root.line, "no activity has a <launch>, so there is nothing to open")
	}
	return nil
}
