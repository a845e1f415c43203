// Command netmirror writes a provider network mirror (the protocol
// Terraform and OpenTofu speak to a provider_installation network_mirror)
// from the archives of a release build, so that a team can serve the provider
// from any static HTTPS site:
//
//	<out>/<host>/<namespace>/<type>/index.json      {"versions":{"0.1.0":{}}}
//	<out>/<host>/<namespace>/<type>/<version>.json  {"archives":{"linux_amd64":{"url":"...zip","hashes":["h1:...","zh:..."]}}}
//	<out>/<host>/<namespace>/<type>/<archive>.zip
//
// one tree per host name (Terraform asks for registry.terraform.io/..., OpenTofu
// for registry.opentofu.org/...). Archive URLs are relative to <version>.json.
// Each archive is checked against the release's SHA256SUMS. Versions already in
// the output stay listed, so a mirror can accumulate releases.
//
//	go run ./internal/netmirror -dist .build/release -out .build/network-mirror
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
)

func main() {
	dist := flag.String("dist", ".build/release", "folder of the release build (the zips and their SHA256SUMS)")
	out := flag.String("out", ".build/network-mirror", "folder to write the mirror into")
	provider := flag.String("provider", "calinks/calinks", "provider address as namespace/type")
	hosts := flag.String("hosts", "registry.terraform.io,registry.opentofu.org", "comma-separated registry host names to write the layout for")
	flag.Parse()
	ns, typ, ok := strings.Cut(*provider, "/")
	if !ok || ns == "" || typ == "" || strings.Contains(typ, "/") {
		fail(fmt.Errorf("-provider %q: want namespace/type", *provider))
	}
	archives, err := findArchives(*dist, typ)
	if err != nil {
		fail(err)
	}
	for _, host := range strings.Split(*hosts, ",") {
		dir := filepath.Join(*out, host, ns, typ)
		versions, err := writeMirror(dir, archives)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%s: %d archives, versions %s\n", dir, len(archives), strings.Join(versions, ", "))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "netmirror:", err)
	os.Exit(1)
}

// archive is one provider package of a release build.
type archive struct {
	path     string // in the release build
	version  string // 0.1.0
	platform string // linux_amd64
	hashes   []string
}

// findArchives lists dist's terraform-provider-<type>_<version>_<os>_<arch>.zip
// with their hashes, each checked against the SHA256SUMS files of dist.
func findArchives(dist, typ string) ([]archive, error) {
	prefix := "terraform-provider-" + typ + "_"
	paths, err := filepath.Glob(filepath.Join(dist, prefix+"*.zip"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no %s*.zip in %s: build the release first (make release-snapshot)", prefix, dist)
	}
	sums, err := readSums(dist)
	if err != nil {
		return nil, err
	}
	var archives []archive
	for _, path := range paths {
		name := filepath.Base(path)
		parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(name, prefix), ".zip"), "_")
		if len(parts) != 3 || !semver.IsValid("v"+parts[0]) || parts[1] == "" || parts[2] == "" {
			return nil, fmt.Errorf("%s: not %s<version>_<os>_<arch>.zip", name, prefix)
		}
		sum, err := fileSHA256(path)
		if err != nil {
			return nil, err
		}
		want, listed := sums[name]
		if !listed {
			return nil, fmt.Errorf("%s: not listed in any SHA256SUMS of %s", name, dist)
		}
		if want != sum {
			return nil, fmt.Errorf("%s: sha256 %s, SHA256SUMS says %s", name, sum, want)
		}
		// h1: the hash of the package's contents, which Terraform records in
		// lock files for the platform it installs on; with both, a lock file
		// written from the mirror holds every platform's hashes.
		h1, err := dirhash.HashZip(path, dirhash.Hash1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		archives = append(archives, archive{
			path: path, version: parts[0], platform: parts[1] + "_" + parts[2],
			hashes: []string{h1, "zh:" + sum},
		})
	}
	return archives, nil
}

// readSums reads every *SHA256SUMS file of dist: file name → sha256 hex.
func readSums(dist string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dist, "*SHA256SUMS"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no SHA256SUMS in %s", dist)
	}
	sums := map[string]string{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			sum, name, ok := strings.Cut(scanner.Text(), "  ")
			if !ok {
				continue
			}
			sums[strings.TrimPrefix(name, "*")] = sum
		}
		err = errors.Join(scanner.Err(), f.Close())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return sums, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close() //nolint:errcheck // read only
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

type versionDoc struct {
	Archives map[string]archiveDoc `json:"archives"`
}

type archiveDoc struct {
	URL    string   `json:"url"`
	Hashes []string `json:"hashes"`
}

type indexDoc struct {
	Versions map[string]struct{} `json:"versions"`
}

// writeMirror writes the archives, one <version>.json per version and
// index.json into dir (<out>/<host>/<namespace>/<type>), and returns the
// versions index.json lists: these and those already in dir.
func writeMirror(dir string, archives []archive) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	docs := map[string]versionDoc{}
	for _, a := range archives {
		name := filepath.Base(a.path)
		if err := linkOrCopy(a.path, filepath.Join(dir, name)); err != nil {
			return nil, err
		}
		doc, ok := docs[a.version]
		if !ok {
			doc = versionDoc{Archives: map[string]archiveDoc{}}
			docs[a.version] = doc
		}
		doc.Archives[a.platform] = archiveDoc{URL: name, Hashes: a.hashes}
	}
	for version, doc := range docs {
		if err := writeJSON(filepath.Join(dir, version+".json"), doc); err != nil {
			return nil, err
		}
	}
	// The index lists every <version>.json of dir, earlier releases included.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	index := indexDoc{Versions: map[string]struct{}{}}
	var versions []string
	for _, e := range entries {
		version, ok := strings.CutSuffix(e.Name(), ".json")
		if ok && !e.IsDir() && semver.IsValid("v"+version) {
			index.Versions[version] = struct{}{}
			versions = append(versions, version)
		}
	}
	slices.SortFunc(versions, func(a, b string) int { return semver.Compare("v"+a, "v"+b) })
	return versions, writeJSON(filepath.Join(dir, "index.json"), index)
}

// linkOrCopy puts src at dst: a hard link (no second copy on disk, and a
// static site uploader sees a plain file), else a copy.
func linkOrCopy(src, dst string) error {
	if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if os.Link(src, dst) == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() //nolint:errcheck // read only
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		return errors.Join(err, out.Close())
	}
	return out.Close()
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
