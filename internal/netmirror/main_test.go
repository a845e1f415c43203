package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

// fakeRelease writes zips named as goreleaser names them and their
// SHA256SUMS into a new folder, and returns it with each zip's sha256.
func fakeRelease(t *testing.T, version string, platforms ...string) (string, map[string]string) {
	t.Helper()
	dist := t.TempDir()
	sums := map[string]string{}
	var lines []string
	for _, platform := range platforms {
		name := fmt.Sprintf("terraform-provider-calinks_%s_%s.zip", version, platform)
		f, err := os.Create(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		w := zip.NewWriter(f)
		entry, err := w.Create("terraform-provider-calinks_v" + version)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Fprintf(entry, "binary for %s", platform); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		sums[name] = hex.EncodeToString(sum[:])
		lines = append(lines, sums[name]+"  "+name)
	}
	manifest := "terraform-provider-calinks_" + version + "_manifest.json"
	lines = append(lines, strings.Repeat("0", 64)+"  "+manifest)
	sumsFile := filepath.Join(dist, "terraform-provider-calinks_"+version+"_SHA256SUMS")
	if err := os.WriteFile(sumsFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dist, sums
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestWriteMirror(t *testing.T) {
	dist, sums := fakeRelease(t, "0.1.0", "linux_amd64", "darwin_arm64", "windows_amd64")
	archives, err := findArchives(dist, "calinks")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "registry.terraform.io", "calinks", "calinks")
	versions, err := writeMirror(dir, archives)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(versions, []string{"0.1.0"}) {
		t.Errorf("versions %v, want [0.1.0]", versions)
	}

	var index map[string]map[string]map[string]any
	readJSON(t, filepath.Join(dir, "index.json"), &index)
	if want := map[string]map[string]map[string]any{"versions": {"0.1.0": {}}}; !reflect.DeepEqual(index, want) {
		t.Errorf("index.json %v, want %v", index, want)
	}

	var doc versionDoc
	readJSON(t, filepath.Join(dir, "0.1.0.json"), &doc)
	if len(doc.Archives) != 3 {
		t.Fatalf("0.1.0.json has %d archives, want 3: %v", len(doc.Archives), doc.Archives)
	}
	for _, platform := range []string{"linux_amd64", "darwin_arm64", "windows_amd64"} {
		a, ok := doc.Archives[platform]
		name := "terraform-provider-calinks_0.1.0_" + platform + ".zip"
		if !ok {
			t.Errorf("0.1.0.json: no %s", platform)
			continue
		}
		if a.URL != name {
			t.Errorf("%s: url %q, want %q (relative to 0.1.0.json)", platform, a.URL, name)
		}
		h1, err := dirhash.HashZip(filepath.Join(dist, name), dirhash.Hash1)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{h1, "zh:" + sums[name]}; !reflect.DeepEqual(a.Hashes, want) {
			t.Errorf("%s: hashes %v, want %v", platform, a.Hashes, want)
		}
		served, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("archive not in the mirror: %v", err)
		}
		if sum := sha256.Sum256(served); hex.EncodeToString(sum[:]) != sums[name] {
			t.Errorf("%s in the mirror differs from the release's", name)
		}
	}

	// A later release joins the index; the earlier one stays listed.
	dist2, _ := fakeRelease(t, "0.2.0", "linux_amd64")
	archives2, err := findArchives(dist2, "calinks")
	if err != nil {
		t.Fatal(err)
	}
	versions, err = writeMirror(dir, archives2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(versions, []string{"0.1.0", "0.2.0"}) {
		t.Errorf("versions after a second release %v, want [0.1.0 0.2.0]", versions)
	}
	readJSON(t, filepath.Join(dir, "index.json"), &index)
	if len(index["versions"]) != 2 {
		t.Errorf("index.json after a second release: %v", index)
	}
}

func TestFindArchivesRejects(t *testing.T) {
	t.Run("archive not matching SHA256SUMS", func(t *testing.T) {
		dist, _ := fakeRelease(t, "0.1.0", "linux_amd64")
		path := filepath.Join(dist, "terraform-provider-calinks_0.1.0_linux_amd64.zip")
		if err := os.WriteFile(path, []byte("tampered"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := findArchives(dist, "calinks")
		if err == nil || !strings.Contains(err.Error(), "SHA256SUMS says") {
			t.Errorf("got %v, want a checksum mismatch", err)
		}
	})
	t.Run("archive not in SHA256SUMS", func(t *testing.T) {
		dist, _ := fakeRelease(t, "0.1.0", "linux_amd64")
		if err := os.WriteFile(filepath.Join(dist, "terraform-provider-calinks_0.1.0_linux_arm64.zip"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := findArchives(dist, "calinks")
		if err == nil || !strings.Contains(err.Error(), "not listed") {
			t.Errorf("got %v, want an unlisted archive", err)
		}
	})
	t.Run("name without a semver", func(t *testing.T) {
		dist, _ := fakeRelease(t, "latest", "linux_amd64")
		_, err := findArchives(dist, "calinks")
		if err == nil || !strings.Contains(err.Error(), "<version>_<os>_<arch>") {
			t.Errorf("got %v, want a bad name", err)
		}
	})
	t.Run("empty build", func(t *testing.T) {
		_, err := findArchives(t.TempDir(), "calinks")
		if err == nil || !strings.Contains(err.Error(), "make release-snapshot") {
			t.Errorf("got %v, want a hint to build the release", err)
		}
	})
}
