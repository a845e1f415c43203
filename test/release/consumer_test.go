// Package release tests the provider and the modules as another repository
// consumes them: a root outside this repository sources modules/worker by
// git URL and tag, pins calinks/calinks, and installs it from the provider
// network mirror that make network-mirror writes, served over HTTPS by a
// local server whose certificate only the CLIs started here trust.
//
//	make release-test   # builds the snapshot and the mirror first
//
// Inputs (make sets them): CALINKS_NETWORK_MIRROR (default
// .build/network-mirror), PROVIDER_VERSION (default 0.1.0), TOFU_BIN (default
// ./bin/tofu), TERRAFORM_BIN (default terraform); hashicorp/aws comes from the
// filesystem mirror that .build/terraformrc names (make providers).
package release

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gruntwork-io/terratest/modules/terraform"
)

const awsVersion = "5.100.0"

// repoRoot is the repository's top folder, whatever the test's working dir.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func platform() string { return runtime.GOOS + "_" + runtime.GOARCH }

// TestConsumer runs init and validate of the consumer root with each CLI
// against the mirror as built, and init against a mirror whose hashes were
// tampered with, which must fail.
func TestConsumer(t *testing.T) {
	version := envOr("PROVIDER_VERSION", "0.1.0")
	mirror := envOr("CALINKS_NETWORK_MIRROR", filepath.Join(repoRoot(), ".build", "network-mirror"))
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		doc := filepath.Join(mirror, host, "calinks", "calinks", version+".json")
		if _, err := os.Stat(doc); err != nil {
			t.Fatalf("no network mirror of calinks/calinks %s for %s (%v): run make network-mirror", version, host, err)
		}
	}
	work := t.TempDir()
	ca := newTestCA(t, work)
	good := serveMirror(t, ca, mirror)
	tampered := serveMirror(t, ca, tamperedMirror(t, mirror, version, filepath.Join(work, "tampered")))
	source := moduleRepo(t, work, version)
	fsMirror := awsMirror(t, work)

	clis := []struct{ name, bin, host string }{
		{"terraform", envOr("TERRAFORM_BIN", "terraform"), "registry.terraform.io"},
		{"tofu", envOr("TOFU_BIN", filepath.Join(repoRoot(), "bin", "tofu")), "registry.opentofu.org"},
	}
	for _, cli := range clis {
		t.Run(cli.name, func(t *testing.T) {
			t.Parallel()
			bin, err := exec.LookPath(cli.bin)
			if err != nil {
				t.Fatalf("%s: %v (make tools builds ./bin/tofu)", cli.name, err)
			}
			t.Run("init and validate", func(t *testing.T) {
				t.Parallel()
				dir := consumerRoot(t, source, version)
				opts := cliOptions(t, bin, dir, ca, good.URL, fsMirror)
				start := time.Now()
				if _, err := terraform.InitContextE(t, t.Context(), opts); err != nil {
					t.Fatalf("%s init of a consumer of modules/worker (%s) and calinks/calinks %s from the network mirror: %v", cli.name, source, version, err)
				}
				if _, err := terraform.ValidateContextE(t, t.Context(), opts); err != nil {
					t.Fatalf("%s validate of the consumer root: %v", cli.name, err)
				}
				t.Logf("%s init + validate: %s", cli.name, time.Since(start).Round(100*time.Millisecond))
				archive := fmt.Sprintf("/%s/calinks/calinks/terraform-provider-calinks_%s_%s.zip", cli.host, version, platform())
				if good.count(archive) == 0 {
					t.Errorf("%s did not download %s from the network mirror; requests: %v", cli.name, archive, good.paths())
				}
				checkLockFile(t, dir, mirror, cli.host, version)
			})
			t.Run("wrong hash refused", func(t *testing.T) {
				t.Parallel()
				dir := consumerRoot(t, source, version)
				opts := cliOptions(t, bin, dir, ca, tampered.URL, fsMirror)
				out, err := terraform.InitContextE(t, t.Context(), opts)
				if err == nil {
					t.Fatalf("%s init installed calinks/calinks from a mirror that lists a wrong hash for it", cli.name)
				}
				if !strings.Contains(out, "checksum") {
					t.Errorf("%s init failed, but not on the checksum: %s", cli.name, out)
				}
			})
		})
	}
}

// cliOptions runs bin in dir with a CLI configuration of its own: calinks
// from the network mirror at url, hashicorp/aws from a filesystem mirror,
// nothing from the internet; the test CA is the only one trusted.
func cliOptions(t *testing.T, bin, dir string, ca *testCA, url, fsMirror string) *terraform.Options {
	t.Helper()
	cfg := filepath.Join(dir, "..", "cli.tfrc")
	rc := fmt.Sprintf(`provider_installation {
  network_mirror {
    url     = %q
    include = ["registry.terraform.io/calinks/calinks", "registry.opentofu.org/calinks/calinks"]
  }
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"]
  }
}
`, url+"/", fsMirror)
	if err := os.WriteFile(cfg, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	return &terraform.Options{
		TerraformDir:    dir,
		TerraformBinary: bin,
		NoColor:         true,
		EnvVars: map[string]string{
			"TF_CLI_CONFIG_FILE":  cfg,
			"TF_PLUGIN_CACHE_DIR": "",
			"CHECKPOINT_DISABLE":  "1",
			// Go's crypto/x509 reads the trusted roots from these on Linux.
			"SSL_CERT_FILE": ca.certFile,
			"SSL_CERT_DIR":  ca.emptyDir,
		},
	}
}

// consumerRoot writes a root as another repository would have it.
func consumerRoot(t *testing.T, source, version string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "consumer")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	main := fmt.Sprintf(`terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = %q
    }
    calinks = {
      source  = "calinks/calinks"
      version = %q
    }
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

provider "calinks" {
  region = "ap-northeast-1"
}

module "worker" {
  source = %q

  environment = "staging"
  name        = "worker-item"
  cluster_arn = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/calinks-staging"
  vpc_id      = "vpc-0123456789abcdef0"
  subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  container   = { image = "public.ecr.aws/docker/library/busybox:stable" }
  subscriptions = {
    item = { topic_arn = "arn:aws:sns:ap-northeast-1:123456789012:calinks-staging-pos-web-app-item.fifo" }
  }
}
`, awsVersion, version, source)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// moduleRepo makes a bare clone of this repository with the tag
// v<version> on the commit checked out here (no tag is made in the
// repository itself), and returns the module's git source address.
func moduleRepo(t *testing.T, work, version string) string {
	t.Helper()
	head := git(t, "", "-C", repoRoot(), "rev-parse", "HEAD")
	bare := filepath.Join(work, "terraform-provider-calinks.git")
	git(t, "", "clone", "--quiet", "--bare", repoRoot(), bare)
	git(t, bare, "tag", "v"+version, head)
	return "git::file://" + bare + "//modules/worker?ref=v" + version
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// awsMirror is a filesystem mirror of hashicorp/aws under both host names,
// linked to the binary the project's CLI configuration (.build/terraformrc,
// make providers) installs it from.
func awsMirror(t *testing.T, work string) string {
	t.Helper()
	rcFile := filepath.Join(repoRoot(), ".build", "terraformrc")
	rc, err := os.ReadFile(rcFile)
	if err != nil {
		t.Fatalf("%v: run make providers", err)
	}
	blocks := regexp.MustCompile(`filesystem_mirror \{\s*path\s*=\s*"([^"]+)"\s*include\s*=\s*\[([^\]]*)\]`).FindAllSubmatch(rc, -1)
	binary := "terraform-provider-aws_v" + awsVersion + "_x5"
	rel := filepath.Join("hashicorp", "aws", awsVersion, platform(), binary)
	var found string
	for _, b := range blocks {
		if bytes.Contains(b[2], []byte(`"registry.terraform.io/hashicorp/aws"`)) {
			found = filepath.Join(string(b[1]), "registry.terraform.io", rel)
		}
	}
	if found == "" {
		t.Fatalf("%s has no filesystem mirror of hashicorp/aws %s: set AWS_PROVIDER_MIRROR and run make providers", rcFile, awsVersion)
	}
	dir := filepath.Join(work, "aws-mirror")
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		link := filepath.Join(dir, host, rel)
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		// A file link: OpenTofu does not follow directory links in mirrors.
		if err := os.Symlink(found, link); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkLockFile checks that the lock file pins version and records, for this
// platform, the h1 hash the mirror announced.
func checkLockFile(t *testing.T, dir, mirror, host, version string) {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Archives map[string]struct {
			Hashes []string `json:"hashes"`
		} `json:"archives"`
	}
	data, err := os.ReadFile(filepath.Join(mirror, host, "calinks", "calinks", version+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)provider "` + regexp.QuoteMeta(host) + `/calinks/calinks" \{.*?\n\}`).Find(lock)
	if block == nil {
		t.Fatalf("lock file has no %s/calinks/calinks:\n%s", host, lock)
	}
	if !regexp.MustCompile(`\n\s*version\s*=\s*"` + regexp.QuoteMeta(version) + `"`).Match(block) {
		t.Errorf("lock file does not pin %s:\n%s", version, block)
	}
	for _, h := range doc.Archives[platform()].Hashes {
		if strings.HasPrefix(h, "h1:") && !bytes.Contains(block, []byte(h)) {
			t.Errorf("lock file lacks the mirror's %s for %s:\n%s", h, platform(), block)
		}
	}
}

// tamperedMirror copies the calinks/calinks trees of mirror into dir, with
// every hash of <version>.json replaced by the hash of something else.
func tamperedMirror(t *testing.T, mirror, version, dir string) string {
	t.Helper()
	wrong := []byte(`"zh:` + strings.Repeat("0", 64) + `"`)
	hashes := regexp.MustCompile(`"(h1|zh):[^"]+"`)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		src := filepath.Join(mirror, host, "calinks", "calinks")
		dst := filepath.Join(dir, host, "calinks", "calinks")
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
			if e.Name() != version+".json" {
				if err := os.Symlink(from, to); err != nil {
					t.Fatal(err)
				}
				continue
			}
			data, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(to, hashes.ReplaceAll(data, wrong), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// testCA is a certificate authority made for one test run: its certificate
// is written to certFile, and emptyDir is an empty certificate folder, so
// that processes given SSL_CERT_FILE=certFile SSL_CERT_DIR=emptyDir trust it
// alone.
type testCA struct {
	cert     *x509.Certificate
	key      *ecdsa.PrivateKey
	certFile string
	emptyDir string
}

func newTestCA(t *testing.T, work string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "calinks release test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &testCA{cert: cert, key: key, certFile: filepath.Join(work, "ca.pem"), emptyDir: filepath.Join(work, "no-certs")}
	if err := os.WriteFile(ca.certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(ca.emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	return ca
}

// serverCert is a certificate for 127.0.0.1 signed by the CA.
func (ca *testCA) serverCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// mirrorServer serves a folder over HTTPS as a static site would, and
// counts the paths asked for.
type mirrorServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests map[string]int
}

func serveMirror(t *testing.T, ca *testCA, dir string) *mirrorServer {
	t.Helper()
	s := &mirrorServer{requests: map[string]int{}}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path]++
		s.mu.Unlock()
		files.ServeHTTP(w, r)
	}))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{ca.serverCert(t)}, MinVersion: tls.VersionTLS12}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *mirrorServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func (s *mirrorServer) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var paths []string
	for p := range s.requests {
		paths = append(paths, p)
	}
	return paths
}
