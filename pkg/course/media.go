package course

import (
	"path"
	"strings"
)

// MediaKind is how a local file is presented.
type MediaKind int

// Media kinds by file extension.
const (
	Unsupported MediaKind = iota
	Image
	Audio
	Video
	Document
)

var mediaKinds = map[string]MediaKind{
	".png": Image, ".jpg": Image, ".jpeg": Image, ".gif": Image, ".webp": Image, ".svg": Image,
	".mp3": Audio, ".m4a": Audio, ".ogg": Audio, ".oga": Audio, ".wav": Audio,
	".mp4": Video, ".webm": Video, ".ogv": Video,
	".pdf": Document, ".docx": Document, ".xlsx": Document, ".pptx": Document,
	".odt": Document, ".ods": Document, ".odp": Document,
	".txt": Document, ".csv": Document, ".zip": Document,
	".vtt": Document, // captions for video
}

// KindOf returns the kind of a file by its extension.
func KindOf(name string) MediaKind {
	return mediaKinds[strings.ToLower(path.Ext(name))]
}

// supportedTypes lists the extensions for error messages.
const supportedTypes = "images (.png .jpg .jpeg .gif .webp .svg), audio (.mp3 .m4a .ogg .oga .wav), " +
	"video (.mp4 .webm .ogv) and documents (.pdf .docx .xlsx .pptx .odt .ods .odp .txt .csv .zip .vtt)"
