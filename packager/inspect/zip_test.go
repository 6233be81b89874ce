package inspect

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// entry is one zip entry a test writes.
type entry struct {
	name string
	body string
	mode fs.FileMode // set with SetMode when non-zero, for symlinks
	// raw, when set, is written with CreateRaw and body as the data as it
	// is, so tests can lie in headers and set flags.
	raw *zip.FileHeader
}

// files is a package's entries, in zip order.
type files []entry

// fixture reads testdata/NAME.txtar into entries.
func fixture(t *testing.T, name string) files {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var fs files
	for _, f := range ar.Files {
		fs = append(fs, entry{name: f.Name, body: string(f.Data)})
	}
	return fs
}

// edit replaces old by new in the named entry, failing when old is absent
// so that a fixture change cannot make a case pass silently.
func (fs files) edit(t *testing.T, name, old, new string) files {
	t.Helper()
	out := append(files(nil), fs...)
	for i, e := range out {
		if e.name == name {
			if !strings.Contains(e.body, old) {
				t.Fatalf("%s does not contain %q", name, old)
			}
			out[i].body = strings.ReplaceAll(e.body, old, new)
			return out
		}
	}
	t.Fatalf("no entry %q", name)
	return nil
}

func (fs files) without(name string) files {
	var out files
	for _, e := range fs {
		if e.name != name {
			out = append(out, e)
		}
	}
	return out
}

func (fs files) with(more ...entry) files {
	return append(append(files(nil), fs...), more...)
}

// rename moves every entry under dir/.
func (fs files) under(dir string) files {
	out := append(files(nil), fs...)
	for i := range out {
		out[i].name = dir + "/" + out[i].name
	}
	return out
}

// writeZip writes the entries to a zip in a new temporary folder.
func writeZip(t *testing.T, fs files) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range fs {
		var err error
		switch {
		case e.raw != nil:
			h := *e.raw
			h.Name = e.name
			w, err2 := zw.CreateRaw(&h)
			if err2 == nil {
				_, err2 = w.Write([]byte(e.body))
			}
			err = err2
		default:
			h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
			if e.mode != 0 {
				h.SetMode(e.mode)
			}
			w, err2 := zw.CreateHeader(h)
			if err2 == nil {
				_, err2 = w.Write([]byte(e.body))
			}
			err = err2
		}
		if err != nil {
			t.Fatalf("write %s: %v", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "package.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// stored is an entry written without compression.
func stored(name string, size int) entry {
	data := bytes.Repeat([]byte("x"), size)
	return entry{name: name, body: string(data), raw: &zip.FileHeader{
		Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(size), UncompressedSize64: uint64(size),
	}}
}

// deflated is an entry holding data, compressed, whose header declares
// declared bytes: less than len(data) makes a lying header.
func deflated(t *testing.T, name string, data []byte, declared int) entry {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return entry{name: name, body: buf.String(), raw: &zip.FileHeader{
		Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(buf.Len()), UncompressedSize64: uint64(declared),
	}}
}

// overlap rewrites the zip so that the central directory record of entry b
// points at entry a's data, the way overlapping zip bombs are built.
func overlap(t *testing.T, zipPath, a, b string) {
	t.Helper()
	data, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	record := func(name string) int {
		sig := []byte{'P', 'K', 1, 2}
		for i := bytes.Index(data, sig); i >= 0; {
			n := int(binary.LittleEndian.Uint16(data[i+28:]))
			if string(data[i+46:i+46+n]) == name {
				return i
			}
			j := bytes.Index(data[i+4:], sig)
			if j < 0 {
				break
			}
			i += 4 + j
		}
		t.Fatalf("no central directory record for %s", name)
		return 0
	}
	copy(data[record(b)+42:record(b)+46], data[record(a)+42:record(a)+46])
	if err := os.WriteFile(zipPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// schemaOptions returns options that validate against the official schemas
// with xmllint. It skips the test when either is missing, unless
// COURSEKIT_REQUIRE_TOOLS=1 (as in .ci/run) makes that a failure.
func schemaOptions(t *testing.T) Options {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		if os.Getenv("COURSEKIT_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s, and COURSEKIT_REQUIRE_TOOLS=1 requires it", what)
		}
		t.Skipf("%s; skipping (set COURSEKIT_REQUIRE_TOOLS=1 to make this a failure)", what)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		missing("xmllint not found (Debian: apt-get install libxml2-utils)")
	}
	dir, ok := FindSchemaDir(".")
	if !ok {
		missing("no shared/xsd in the working directory or above (the repository expects ../shared beside it)")
	}
	return Options{SchemaDir: dir}
}
