package packager_test

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursekit/coursekit/packager"
)

var largeCourseDir = flag.String("write-large-course", "", "write the generated 500-lesson, 200 MB course to this folder and exit (for coursekit build --stats)")

// TestWriteLargeCourse writes the benchmark's generated course when asked:
//
//	go test ./packager -run TestWriteLargeCourse -write-large-course /tmp/large
//	coursekit build /tmp/large --out /tmp/large-dist --stats
func TestWriteLargeCourse(t *testing.T) {
	if *largeCourseDir == "" {
		t.Skip("pass -write-large-course DIR to write the generated course")
	}
	writeLargeCourse(t, *largeCourseDir, 500, 200<<20)
}

// BenchmarkBuildLarge builds both SCORM formats of a generated course of 500
// lessons carrying 200 MB of media (target: under 3 s, peak memory under
// 100 MB whatever the media size: media is streamed, never loaded whole).
func BenchmarkBuildLarge(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "large")
	writeLargeCourse(b, dir, 500, 200<<20)
	out := b.TempDir()
	b.SetBytes(2 * 200 << 20) // the media goes into each of the two packages
	for b.Loop() {
		c := mustLoad(b, dir)
		if _, err := packager.Build(context.Background(), c, packager.Options{Formats: packager.DefaultFormats, OutDir: out}); err != nil {
			b.Fatal(err)
		}
	}
}

// writeLargeCourse writes a course of n lessons in sections of 50, each with
// text, a question and one media file; media add up to mediaBytes of random
// (incompressible) data: JPEG and MP4 by extension, and PDFs that only the
// archive's compressibility check can tell apart.
func writeLargeCourse(t testing.TB, dir string, n int, mediaBytes int) {
	t.Helper()
	for _, sub := range []string{"lessons", "media"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var outline strings.Builder
	rng := rand.New(rand.NewPCG(7, 11))
	media := make([]byte, mediaBytes/n)
	for i := range n {
		if i%50 == 0 {
			fmt.Fprintf(&outline, "  - section: part-%d\n    title: Part %d\n    lessons:\n", i/50+1, i/50+1)
		}
		id := fmt.Sprintf("lesson-%03d", i)
		fmt.Fprintf(&outline, "      - %s\n", id)
		ext := [...]string{"jpg", "jpg", "jpg", "mp4", "pdf"}[i%5]
		for j := 0; j+8 <= len(media); j += 8 {
			binary.LittleEndian.PutUint64(media[j:], rng.Uint64())
		}
		file := fmt.Sprintf("%s.%s", id, ext)
		if err := os.WriteFile(filepath.Join(dir, "media", file), media, 0o644); err != nil {
			t.Fatal(err)
		}
		embed := fmt.Sprintf("![Figure for lesson %d](../media/%s)", i, file)
		if ext == "pdf" {
			embed = fmt.Sprintf("[Handout for lesson %d](../media/%s)", i, file)
		}
		lesson := fmt.Sprintf("---\ntitle: Lesson %d\nduration: 10m\n---\n\n## Reading\n\n%s\n\n%s\n\n"+
			"```question\nid: q-%s\ntype: true-false\nprompt: Lesson %d has a question.\ncorrect: true\n```\n",
			i, strings.Repeat("Peer support rests on mutual, authentic and intentional sharing. ", 20), embed, id, i)
		if err := os.WriteFile(filepath.Join(dir, "lessons", id+".md"), []byte(lesson), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	yaml := "id: https://example.org/courses/large\ntitle: Large generated course\nlanguage: en\nversion: 1.0.0\n" +
		"mastery_score: 80\ncompletion: viewed-and-passed\noutline:\n" + outline.String()
	if err := os.WriteFile(filepath.Join(dir, "course.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}
