package inspect

import (
	"testing"
)

func TestCheckXAPIPackages(t *testing.T) {
	const c5, tc = cmi5Name, tincanName
	tests := []struct {
		name    string
		fixture string
		files   func(t *testing.T, b files) files
		schema  bool
		want    []string
	}{
		{"valid cmi5", "cmi5", func(t *testing.T, b files) files { return b }, true, nil},
		{"valid tincan", "tincan", func(t *testing.T, b files) files { return b }, false, nil},
		{"cmi5 schema", "cmi5", func(t *testing.T, b files) files {
			return b.edit(t, c5, `moveOn="Passed"`, `moveOn="Viewed"`)
		}, true, []string{
			`cmi5.xml:15: schema: Element 'au', attribute 'moveOn': [facet 'enumeration'] The value 'Viewed' is not an element of the set {'NotApplicable', 'Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed'}.`,
		}},
		{"cmi5 missing AU file", "cmi5", func(t *testing.T, b files) files {
			return b.edit(t, c5, "<url>index.html?lesson=two</url>", "<url>Index.html?lesson=two</url>").
				edit(t, c5, "<url>index.html?lesson=one</url>", "<url>../up.html</url>")
		}, false, []string{
			`cmi5.xml:13: AU url "../up.html" points outside the package`,
			`cmi5.xml:18: AU url "Index.html?lesson=two" is not in the zip, which holds "index.html"; names are case-sensitive on most servers`,
		}},
		{"cmi5 absolute AU URL is the LMS's to fetch", "cmi5", func(t *testing.T, b files) files {
			return b.edit(t, c5, "<url>index.html?lesson=one</url>", "<url>https://cdn.example.org/one.html</url>")
		}, true, nil},
		{"cmi5 ids", "cmi5", func(t *testing.T, b files) files {
			return b.edit(t, c5, `<au id="https://example.org/c/lessons/two"`, `<au id="https://example.org/c/lessons/one"`).
				edit(t, c5, `<block id="https://example.org/c/sections/s"`, `<block id="sections/s"`)
		}, false, []string{
			`cmi5.xml:7: <block> id "sections/s" is not an absolute IRI`,
			`cmi5.xml:15: id "https://example.org/c/lessons/one" of this <au> is already used by the <au> on line 10; ids must be unique in the course structure`,
		}},
		{"cmi5 wrong root", "cmi5", func(t *testing.T, b files) files {
			return b.edit(t, c5, `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">`, `<courseStructure>`)
		}, false, []string{
			`cmi5.xml:2: the root element is <courseStructure> in the namespace ""; a cmi5 course structure is <courseStructure> in https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd`,
		}},
		{"cmi5 not well-formed", "cmi5", func(t *testing.T, b files) files {
			return b.edit(t, c5, "</block>", "</blok>")
		}, false, []string{`cmi5.xml:20: not well-formed XML: end tag </blok> does not match <block> on line 7`}},
		{"tincan without launch", "tincan", func(t *testing.T, b files) files {
			return b.edit(t, tc, `<launch lang="en">index.html</launch>`, "")
		}, false, []string{`tincan.xml:2: no activity has a <launch>, so there is nothing to open`}},
		{"tincan activities", "tincan", func(t *testing.T, b files) files {
			return b.edit(t, tc, `<launch lang="en">index.html</launch>`, `<launch lang="en">start.html</launch>`).
				edit(t, tc, `id="https://example.org/c/lessons/one" type="http://adlnet.gov/expapi/activities/lesson"`, `id="https://example.org/c"`).
				edit(t, tc, `<name lang="en">One</name>`, "")
		}, false, []string{
			`tincan.xml:6: launch "start.html" is not in the zip`,
			`tincan.xml:8: activity id "https://example.org/c" is already used on line 4`,
			`tincan.xml:8: <activity> "https://example.org/c" has no type; LRS reports group activities by it`,
			`tincan.xml:8: <activity> "https://example.org/c" has no <name>`,
		}},
		{"tincan wrong namespace", "tincan", func(t *testing.T, b files) files {
			return b.edit(t, tc, `xmlns="http://projecttincan.com/tincan.xsd"`, `xmlns="http://example.org/tc"`)
		}, false, []string{
			`tincan.xml:2: the root element is <tincan> in the namespace "http://example.org/tc"; tincan.xml's is <tincan> in http://projecttincan.com/tincan.xsd`,
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

func TestCheckReportsTheFormat(t *testing.T) {
	for fixtureName, want := range map[string]struct {
		format string
		units  int
	}{
		"scorm12": {FormatSCORM, 1}, "cmi5": {FormatCMI5, 2}, "tincan": {FormatXAPI, 1},
	} {
		rep, err := Check(writeZip(t, fixture(t, fixtureName)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Format != want.format || rep.SCOs != want.units {
			t.Errorf("%s: format %q with %d units, want %q with %d", fixtureName, rep.Format, rep.SCOs, want.format, want.units)
		}
	}
}
