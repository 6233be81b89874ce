package course

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// linkKind is where a link target is written, which decides what it may be.
type linkKind int

const (
	textLink  linkKind = iota // [text](target) in a lesson: anything
	mediaLink                 // ![alt](target): a local image, audio or video file
	fileLink                  // exercise files and resources: a local file or a URL
)

// target is a resolved link.
type target struct {
	// href is what the rendered link points at: a course-relative file path,
	// a "#/LESSON/ANCHOR" route, or the URL as written.
	href     string
	external bool
	// lesson and anchor are set for links to lessons, checked once every
	// lesson's headings are known.
	lesson *lessonFile
	anchor string
}

var externalSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}

func hasExternalScheme(href string) bool {
	u, err := url.Parse(href)
	return err == nil && externalSchemes[strings.ToLower(u.Scheme)]
}

// resolveHref checks a link target written in a file in the course-relative
// folder fromDir and reports what is wrong with it at line:col.
func (ld *loader) resolveHref(r reporter, line, col int, fromDir, raw string, kind linkKind) (target, bool) {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" {
		if len(u.Scheme) == 1 { // a Windows drive letter, C:\…
			r.at(line, col, "link %q is an absolute path; use a path relative to this file", raw)
			return target{}, false
		}
		if !externalSchemes[strings.ToLower(u.Scheme)] {
			r.at(line, col, "link %q uses the %s: scheme; only http, https, mailto and tel links are allowed", raw, u.Scheme)
			return target{}, false
		}
		if kind == mediaLink {
			r.at(line, col, "media %q is not in the course; download it into the course folder and link it relatively, so the package works offline", raw)
			return target{}, false
		}
		return target{href: raw, external: true}, true
	}
	p, frag, _ := strings.Cut(raw, "#")
	if p == "" {
		if kind != textLink || frag == "" {
			r.at(line, col, "link %q has no file; write a path relative to this file", raw)
			return target{}, false
		}
		return target{anchor: frag}, true // same lesson; the caller knows which
	}
	if unescaped, err := url.PathUnescape(p); err == nil {
		p = unescaped
	}
	if strings.HasPrefix(p, "/") || strings.Contains(p, `\`) {
		r.at(line, col, "link %q is an absolute or Windows path; use a path relative to this file with '/'", raw)
		return target{}, false
	}
	rel := path.Clean(path.Join(fromDir, p))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		r.at(line, col, "link %q points outside the course folder; copy the file into the course", raw)
		return target{}, false
	}
	if strings.HasSuffix(strings.ToLower(rel), ".md") {
		if kind != textLink {
			r.at(line, col, "%q is a lesson; link lessons from the lesson text, not as a file", raw)
			return target{}, false
		}
		lf := ld.lessonsByFile[rel]
		if lf == nil {
			r.at(line, col, "link %q points to a lesson that does not exist (%s)", raw, rel)
			return target{}, false
		}
		return target{lesson: lf, anchor: frag}, true
	}
	if frag != "" && kind != textLink {
		r.at(line, col, "link %q has a '#' fragment; a file link cannot have one", raw)
		return target{}, false
	}
	mk := KindOf(rel)
	switch {
	case mk == Unsupported:
		r.at(line, col, "file %q has an unsupported media type %q; use %s", raw, path.Ext(rel), supportedTypes)
		return target{}, false
	case kind == mediaLink && mk == Document:
		r.at(line, col, "%q is a document, not an image, audio or video file; link it with [text](%s) instead of ![…]", raw, raw)
		return target{}, false
	}
	info, err := os.Stat(filepath.Join(ld.dir, filepath.FromSlash(rel)))
	switch {
	case err != nil:
		r.at(line, col, "file %q not found (%s in the course); add the file or fix the path", raw, rel)
		return target{}, false
	case !info.Mode().IsRegular():
		r.at(line, col, "%q is not a regular file; link a file", raw)
		return target{}, false
	}
	ld.files[rel] = true
	return target{href: rel}, true
}

// route is the player's address of a lesson and optional anchor.
func route(lessonID, anchor string) string {
	if anchor == "" {
		return "#/" + lessonID
	}
	return "#/" + lessonID + "/" + anchor
}
