package inspect

import (
	"strings"
	"testing"
)

const m = ManifestName

func TestCheckBrokenManifests(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		files   func(t *testing.T, b files) files
		schema  bool // validate against the schemas with xmllint
		want    []string
	}{
		{"mismatched end tag", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "</organization>", "</organisation>")
		}, false, []string{`imsmanifest.xml:18: not well-formed XML: end tag </organisation> does not match <organization> on line 12`}},
		{"unquoted attribute", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `default="org"`, `default=org`)
		}, false, []string{`imsmanifest.xml:11: not well-formed XML: unquoted or missing attribute value in element`}},
		{"undeclared prefix", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<adlcp:masteryscore>80</adlcp:masteryscore>`, `<adl:masteryscore>80</adl:masteryscore>`)
		}, false, []string{`imsmanifest.xml:16: not well-formed XML: prefix "adl" of <adl:masteryscore> is not declared`}},
		{"unclosed root", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "</manifest>", "")
		}, false, []string{`imsmanifest.xml:31: not well-formed XML: <manifest> is not closed`}},
		{"nested too deep", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "<title>Lesson 1</title>", strings.Repeat("<item>", 300)+strings.Repeat("</item>", 300))
		}, false, []string{`imsmanifest.xml:15: elements nested more than 256 deep; refusing to parse further`}},
		{"unsupported encoding", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `encoding="UTF-8"`, `encoding="UTF-16"`)
		}, false, []string{`imsmanifest.xml:1: encoding "UTF-16" is not supported; save the manifest as UTF-8`}},
		{"not a manifest", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "<manifest identifier", "<package identifier").edit(t, m, "</manifest>", "</package>")
		}, false, []string{`imsmanifest.xml:2: the root element is <package>, not <manifest>`}},
		{"unknown namespace", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"`, `xmlns="http://example.com/cp"`)
		}, false, []string{`imsmanifest.xml:2: <manifest> is in the namespace http://example.com/cp; SCORM 1.2 uses http://www.imsproject.org/xsd/imscp_rootv1p1p2, SCORM 2004 http://www.imsglobal.org/xsd/imscp_v1p1`}},
		{"missing launch file", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `href="index.html">`, `href="start.html">`)
		}, false, []string{`imsmanifest.xml:21: resource "sco1" href "start.html" is not in the zip`}},
		{"missing listed file", "scorm12", func(t *testing.T, b files) files {
			return b.without("lib/style.css")
		}, false, []string{`imsmanifest.xml:27: file "style.css" ("lib/style.css" with xml:base) is not in the zip`}},
		{"href case", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<file href="player.js"/>`, `<file href="Player.js"/>`)
		}, false, []string{
			`imsmanifest.xml:20: "lib/player.js" is in the zip but no resource lists it in a <file> element`,
			`imsmanifest.xml:26: file "Player.js" ("lib/Player.js" with xml:base) is not in the zip, which holds "lib/player.js"; names are case-sensitive on most servers`,
		}},
		{"href outside or absolute", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<file href="index.html"/>`, `<file href="/index.html"/><file href="../../x.js"/><file href="a\b.js"/>`)
		}, false, []string{
			`imsmanifest.xml:20: "index.html" is in the zip but no resource lists it in a <file> element`,
			`imsmanifest.xml:22: file "/index.html" is an absolute path; make it relative to the package root`,
			`imsmanifest.xml:22: file "../../x.js" points outside the package`,
			`imsmanifest.xml:22: file "a\\b.js" uses a backslash; use "/"`,
		}},
		{"unlisted file", "scorm12", func(t *testing.T, b files) files {
			return b.with(entry{name: "notes.txt"}, entry{name: "lib/schema.xsd"})
		}, false, []string{
			`imsmanifest.xml:20: "lib/schema.xsd" is in the zip but no resource lists it in a <file> element`,
			`imsmanifest.xml:20: "notes.txt" is in the zip but no resource lists it in a <file> element`,
		}},
		{"duplicate identifier", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<item identifier="item1"`, `<item identifier="org"`)
		}, false, []string{`imsmanifest.xml:14: identifier "org" of this <item> is already used by the <organization> on line 12`}},
		{"dangling identifierref", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `identifierref="sco1"`, `identifierref="sco9"`)
		}, false, []string{
			`imsmanifest.xml:11: no item refers to a SCO resource, so the learner could not launch anything`,
			`imsmanifest.xml:14: item "item1" refers to resource "sco9", which does not exist`,
		}},
		{"identifierref to an organization", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `identifierref="sco1"`, `identifierref="org"`)
		}, false, []string{
			`imsmanifest.xml:11: no item refers to a SCO resource, so the learner could not launch anything`,
			`imsmanifest.xml:14: item "item1" refers to "org", which is the <organization> on line 12, not a <resource>`,
		}},
		{"dangling default and dependency", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `default="org"`, `default="org9"`).edit(t, m, `<dependency identifierref="common"/>`, `<dependency identifierref="commons"/>`)
		}, false, []string{
			`imsmanifest.xml:11: <organizations default> refers to organization "org9", which does not exist`,
			`imsmanifest.xml:23: dependency of resource "sco1" refers to resource "commons", which does not exist`,
		}},
		{"wrong adlcp prefix", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "adlcp:", "adl:").edit(t, m, "xmlns:adlcp=", "xmlns:adl=")
		}, false, []string{
			`imsmanifest.xml:16: <adl:masteryscore>: Moodle matches prefixes literally, so the ADL content packaging namespace must use the prefix "adlcp:", not "adl:"`,
		}},
		{"sequencing as default namespace", "scorm2004", func(t *testing.T, b files) files {
			return b.edit(t, m, `<imsss:controlMode choice="true" flow="true"/>`,
				`<controlMode xmlns="http://www.imsglobal.org/xsd/imsss" choice="true" flow="true"/>`)
		}, false, []string{
			`imsmanifest.xml:32: <controlMode>: Moodle matches prefixes literally, so the IMS Simple Sequencing namespace must use the prefix "imsss:", not be the default namespace`,
		}},
		{"adlcp bound to the 2004 namespace in 1.2", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`, `xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"`)
		}, false, []string{
			`imsmanifest.xml:16: <adlcp:masteryscore>: the prefix "adlcp:" is bound to http://www.adlnet.org/xsd/adlcp_v1p3, but SCORM 1.2 needs http://www.adlnet.org/xsd/adlcp_rootv1p2 there; Moodle reads every adlcp: name as ADL content packaging`,
			`imsmanifest.xml:20: no resource is a SCO (adlcp:scormtype="sco"): the LMS would have nothing to launch, and Moodle treats resources without it as assets`,
		}},
		{"prefixed content-packaging element", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<file href="index.html"/>`, `<cp:file xmlns:cp="http://www.imsproject.org/xsd/imscp_rootv1p1p2" href="index.html"/>`)
		}, false, []string{
			`imsmanifest.xml:22: <cp:file>: content-packaging elements must be unprefixed, in the default namespace; Moodle matches names literally`,
		}},
		{"xml:base on an item", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<item identifier="item1"`, "<item\n        xml:base=\"lessons/\" identifier=\"item1\"")
		}, false, []string{`imsmanifest.xml:15: xml:base on <item>: Moodle honours xml:base only on <resource>; move it there`}},
		{"xml:base on resources", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<resources>`, `<resources xml:base="./">`)
		}, false, []string{`imsmanifest.xml:20: xml:base on <resources>: Moodle honours xml:base only on <resource>; move it there`}},
		{"xml:base without slash", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `xml:base="lib/"`, `xml:base="lib"`)
		}, false, []string{
			`imsmanifest.xml:20: "lib/player.js" is in the zip but no resource lists it in a <file> element`,
			`imsmanifest.xml:20: "lib/style.css" is in the zip but no resource lists it in a <file> element`,
			`imsmanifest.xml:25: xml:base "lib" should end with "/": Moodle prepends it to each href as it is`,
			`imsmanifest.xml:26: file "player.js" ("libplayer.js" with xml:base) is not in the zip`,
			`imsmanifest.xml:27: file "style.css" ("libstyle.css" with xml:base) is not in the zip`,
		}},
		{"bad schemaversion", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "<schemaversion>1.2</schemaversion>", "<schemaversion>1.2.1</schemaversion>")
		}, false, []string{
			`imsmanifest.xml:9: schemaversion "1.2.1" is not one Moodle knows (1.2, CAM 1.3, 2004 3rd Edition, 2004 4th Edition), so it would treat the package as SCORM 1.2; use "1.2"`,
		}},
		{"schemaversion of the other family", "scorm2004", func(t *testing.T, b files) files {
			return b.edit(t, m, "<schemaversion>2004 4th Edition</schemaversion>", "<schemaversion>1.2</schemaversion>")
		}, false, []string{
			`imsmanifest.xml:10: schemaversion "1.2" does not match the SCORM 2004 content-packaging namespace of <manifest>`,
		}},
		{"no schemaversion", "scorm2004", func(t *testing.T, b files) files {
			return b.edit(t, m, "<schemaversion>2004 4th Edition</schemaversion>", "")
		}, false, []string{
			`imsmanifest.xml:2: no <metadata><schemaversion>; Moodle would treat the package as SCORM 1.2; add "2004 4th Edition"`,
		}},
		{"no SCO", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `adlcp:scormtype="sco"`, `adlcp:scormtype="asset"`)
		}, false, []string{
			`imsmanifest.xml:20: no resource is a SCO (adlcp:scormtype="sco"): the LMS would have nothing to launch, and Moodle treats resources without it as assets`,
		}},
		{"missing metadata file", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, "<schemaversion>1.2</schemaversion>", "<schemaversion>1.2</schemaversion>\n<adlcp:location>meta.xml</adlcp:location>")
		}, false, []string{`imsmanifest.xml:10: metadata file "meta.xml" is not in the zip`}},
		{"SCO without href", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, ` href="index.html">`, `>`)
		}, false, []string{`imsmanifest.xml:21: SCO resource "sco1" has no href, so there is nothing to launch`}},
		{"2004 scormtype spelling", "scorm2004", func(t *testing.T, b files) files {
			return b.edit(t, m, `adlcp:scormType="sco"`, `adlcp:scormtype="sco"`)
		}, false, []string{`imsmanifest.xml:37: adlcp:scormtype: SCORM 2004 spells it adlcp:scormType`}},
		{"schema: 1.2 scormtype value", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `adlcp:scormtype="sco"`, `adlcp:scormtype="SCO"`)
		}, true, []string{
			`imsmanifest.xml:21: schema: Element 'resource', attribute 'adlcp:scormtype': [facet 'enumeration'] The value 'SCO' is not an element of the set {'asset', 'sco'}.`,
		}},
		{"schema: 2004 progress measure", "scorm2004", func(t *testing.T, b files) files {
			return b.edit(t, m, `minProgressMeasure="0.8"`, `minProgressMeasure="1.8"`)
		}, true, []string{
			`imsmanifest.xml:17: schema: Element 'adlcp:completionThreshold', attribute 'minProgressMeasure': [facet 'maxInclusive'] The value '1.8' is greater than the maximum value allowed ('1.0').`,
		}},
		{"schema and own checks together", "scorm12", func(t *testing.T, b files) files {
			return b.edit(t, m, `<item identifier="item1"`, `<item identifier="org"`)
		}, true, []string{
			`imsmanifest.xml:14: identifier "org" of this <item> is already used by the <organization> on line 12`,
			`imsmanifest.xml:14: schema: Element 'item', attribute 'identifier': 'org' is not a valid value of the atomic type 'xs:ID'.`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts Options
			if tt.schema {
				opts = schemaOptions(t)
			}
			zipPath := writeZip(t, tt.files(t, fixture(t, tt.fixture)))
			got := problems(t, zipPath, opts)
			if diff := diffLines(tt.want, got); diff != "" {
				t.Errorf("Check problems differ:\n%s", diff)
			}
		})
	}
}

// TestCheckSoundVariants checks that what the standards allow is not
// reported: external URLs, queries and fragments, percent-encoding, and
// items without resources.
func TestCheckSoundVariants(t *testing.T) {
	opts := schemaOptions(t)
	tests := []struct {
		name  string
		files func(t *testing.T) files
	}{
		{"external and fragment hrefs", func(t *testing.T) files {
			return fixture(t, "scorm2004").edit(t, m, `<file href="index.html"/>`,
				`<file href="index.html#top"/><file href="https://cdn.example.com/x.js"/><file href="//cdn.example.com/y.js"/>`)
		}},
		{"folder entries, BOM, CRLF", func(t *testing.T) files {
			b := fixture(t, "scorm12")
			b[0].body = "\ufeff" + strings.ReplaceAll(b[0].body, "\n", "\r\n")
			return append(files{{name: "lib/"}}, b...)
		}},
		{"metadata file", func(t *testing.T) files {
			return fixture(t, "scorm12").with(entry{name: "meta.xml", body: "<lom/>"}).edit(t, m,
				"<schemaversion>1.2</schemaversion>", "<schemaversion>1.2</schemaversion>\n<adlcp:location>meta.xml</adlcp:location>")
		}},
		{"ISO-8859-1", func(t *testing.T) files {
			return fixture(t, "scorm12").edit(t, m, `encoding="UTF-8"`, `encoding="ISO-8859-1"`).
				edit(t, m, "<title>Minimal course</title>", "<title>Cours \xe9l\xe9mentaire</title>")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zipPath := writeZip(t, tt.files(t))
			if got := problems(t, zipPath, opts); len(got) > 0 {
				t.Errorf("Check problems = %q, want none", got)
			}
		})
	}
}
