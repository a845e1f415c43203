package test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/terraform"
	teststructure "github.com/gruntwork-io/terratest/modules/test-structure"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/calinks/terraform-provider-calinks/internal/plandrift"
	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// stagedCase is one Terraform root taken through terratest's stages, each
// skippable while debugging with SKIP_<stage>=true (deploy, validate,
// teardown): the working copy and options of the last deploy are kept under
// .build/test-data/<key>, so a rerun with SKIP_deploy=true validates the
// stack that is still up.
type stagedCase struct {
	key    string   // stable name of the case, for its saved data
	prefix string   // short prefix of the unique name
	copy   []string // repository paths the root needs (followed symlinks included)
	root   string   // the root inside the copy
	// options, when set, makes the working copy and options itself instead.
	options func(t *testing.T, vars map[string]any) *terraform.Options
	// apply, when set, is the deploy stage's apply instead of init and apply.
	apply func(t *testing.T, opts *terraform.Options)
	// vars builds the root's variables from the unique name and the tags every
	// resource must carry.
	vars func(name string, tags map[string]string) map[string]any
	// knownDrift lists the differences moto's bugs leave in the second plan
	// (emulator_drift_test.go); anything else in the second plan fails the test.
	knownDrift []plandrift.Allowance
	before     func(t *testing.T, name string) map[string]any // prerequisites made through the SDK; extra variables
	validate   func(t *testing.T, opts *terraform.Options, name string)
	after      func(t *testing.T, opts *terraform.Options) // cleans what before made
}

func runStaged(t *testing.T, c stagedCase) {
	admit(t)
	dataDir := filepath.Join(repoRoot(), ".build", "test-data", c.key)
	defer teststructure.RunTestStage(t, "teardown", func() {
		defer failOnPanic(t)
		if !teststructure.IsTestDataPresent(t, teststructure.FormatTestDataPath(dataDir, "TerraformOptions.json")) {
			t.Error("no options saved: the deploy failed before it had a stack to destroy (what it made first carries the case's tag: make sweep)")
			return
		}
		opts := teststructure.LoadTerraformOptions(t, dataDir)
		name := teststructure.LoadString(t, dataDir, "name")
		// The state is what the last apply left, so the first destroy skips the
		// refresh. A destroy that failed may have deleted objects its state still
		// holds (a lost answer): it is run again with a refresh, which drops them.
		destroying := *opts
		destroying.ExtraArgs.Destroy = append(slices.Clone(opts.ExtraArgs.Destroy), "-refresh=false")
		destroying.MaxRetries = 0
		if _, err := terraform.DestroyContextE(t, t.Context(), &destroying); err != nil {
			t.Logf("destroy without a refresh failed, destroying again with one: %v", err)
			terraform.DestroyContext(t, t.Context(), opts)
		}
		if c.after != nil {
			c.after(t, opts)
		}
		assertNothingTagged(t, caseTag(name))
		if err := os.RemoveAll(workRoot(opts.TerraformDir)); err != nil {
			t.Logf("removing the working copy: %v", err)
		}
	})
	teststructure.RunTestStage(t, "deploy", func() {
		defer failOnPanic(t)
		// A deploy that fails before it saves its options must not leave the
		// teardown an earlier run's stack to destroy.
		teststructure.CleanupTestDataFolder(t, dataDir)
		name := uniqueName(c.prefix, random.UniqueID())
		vars := c.vars(name, map[string]string{testTagKey: caseTag(name)})
		if c.before != nil {
			for k, v := range c.before(t, name) {
				vars[k] = v
			}
		}
		var opts *terraform.Options
		if c.options != nil {
			opts = c.options(t, vars)
		} else {
			opts = tfOptions(t, filepath.Join(copyTree(t, c.copy...), c.root), vars)
		}
		teststructure.SaveTerraformOptions(t, dataDir, opts)
		teststructure.SaveString(t, dataDir, "name", name)
		if c.apply != nil {
			c.apply(t, opts)
			return
		}
		terraform.InitAndApplyContext(t, t.Context(), opts)
	})
	teststructure.RunTestStage(t, "validate", func() {
		defer failOnPanic(t)
		opts := teststructure.LoadTerraformOptions(t, dataDir)
		name := teststructure.LoadString(t, dataDir, "name")
		assertConverged(t, opts, c.knownDrift)
		if c.validate != nil {
			c.validate(t, opts, name)
		}
	})
}

// failOnPanic turns a panic of a check (a nil field in an SDK answer) into a
// failure of its case: a panic would end the whole test binary, and with it
// the teardown of every other case running beside it.
func failOnPanic(t *testing.T) {
	if r := recover(); r != nil {
		t.Errorf("check panicked: %v\n%s", r, debug.Stack())
	}
}

// caseTag is the calinks:test value of one case: the run id, then the case.
func caseTag(name string) string { return target.runID + "/" + name }

// copyTree copies repository paths into a fresh folder, following symlinks
// (the environment roots link their files) and leaving Terraform's working
// files behind; roots keep their relative module sources. The folder outlives
// the test so SKIP_teardown can keep a stack for inspection.
func copyTree(t *testing.T, rels ...string) string {
	t.Helper()
	dst, err := os.MkdirTemp("", "calinks-test-")
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		src := filepath.Join(repoRoot(), rel)
		err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if name == ".terraform" || name == ".terraform.lock.hcl" || strings.HasPrefix(name, "terraform.tfstate") || name == "tests" {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			out := filepath.Join(dst, rel, strings.TrimPrefix(path, src))
			info, err := os.Stat(path) // follows links
			if err != nil {
				return err
			}
			if info.IsDir() {
				return os.MkdirAll(out, 0o755)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(out, data, 0o644)
		})
		if err != nil {
			t.Fatalf("copying %s: %v", rel, err)
		}
	}
	return dst
}

// assertConverged plans again after apply: nothing may change, except,
// against moto, the attribute differences its bugs cause (the allowances in
// emulator_drift_test.go). An allowance that covers nothing fails too: the bug is
// gone, and so must the entry be.
func assertConverged(t *testing.T, opts *terraform.Options, allowances []plandrift.Allowance) {
	t.Helper()
	plan := planOf(t, opts)
	if !target.DriftAllowed() {
		allowances = nil
	}
	res, err := plandrift.Check(&plan.RawPlan, allowances)
	if err != nil {
		t.Fatal(err)
	}
	excused := make([]string, 0, len(res.Excused))
	for d, a := range res.Excused {
		excused = append(excused, fmt.Sprintf("%s (emulator bug: %s)", d, a.Bug))
	}
	slices.Sort(excused)
	for _, e := range excused {
		t.Logf("second plan: %s", e)
	}
	if len(res.Unexpected) > 0 {
		t.Errorf("second plan is not empty:\n  %s", strings.Join(res.Unexpected, "\n  "))
	}
	// moto shows some bugs in one run and not the next (a rule's description,
	// a service's rebalancing): an entry is stale only when no case of the
	// run shows it (TestMain fails the run then).
	driftSeen.record(allowances, res)
	for _, a := range res.Stale {
		t.Logf("emulator drift allowance covers nothing in this plan: %s", a)
	}
}

// driftSeen records, over one test process, which allowances the cases that
// ran listed and which of them some plan showed.
var driftSeen = &driftUsage{listed: map[plandrift.Allowance]bool{}, shown: map[plandrift.Allowance]bool{}}

type driftUsage struct {
	mu            sync.Mutex
	listed, shown map[plandrift.Allowance]bool
}

func (u *driftUsage) record(allowances []plandrift.Allowance, res plandrift.Result) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, a := range allowances {
		u.listed[a] = true
	}
	for _, a := range res.Excused {
		u.shown[a] = true
	}
}

// stale lists the allowances listed by some case and shown by none.
func (u *driftUsage) stale() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []string
	for a := range u.listed {
		if !u.shown[a] {
			out = append(out, a.String())
		}
	}
	slices.Sort(out)
	return out
}

// planOf plans a root and reads the plan back. It works on a copy of the
// options: terratest leaves its temporary plan file in the options it gets,
// and a later apply would try to apply that stale plan.
func planOf(t *testing.T, opts *terraform.Options) *terraform.PlanStruct {
	t.Helper()
	planning := *opts
	return terraform.InitAndPlanAndShowWithStructNoLogTempPlanFileContext(t, t.Context(), &planning)
}

// plannedChanges lists the addresses of a plan's changes with their actions.
func plannedChanges(plan *terraform.PlanStruct) map[string]tfjson.Actions {
	out := map[string]tfjson.Actions{}
	for addr, change := range plan.ResourceChangesMap {
		if !change.Change.Actions.NoOp() && !change.Change.Actions.Read() {
			out[addr] = change.Change.Actions
		}
	}
	return out
}

// assertNothingTagged checks through the SDK that nothing tagged with the
// case's calinks:test value is left, by the sweep's own search. AWS's
// tagging index lags deletions, so a real account gets a minute.
func assertNothingTagged(t *testing.T, tagValue string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		found, err := sweep.Find(t.Context(), awsConfig(), tagValue)
		if err != nil {
			t.Errorf("listing what is left: %v", err)
			return
		}
		var left []string
		for _, r := range found {
			left = append(left, r.ARN)
		}
		if len(left) == 0 {
			return
		}
		if emulated() || time.Now().After(deadline) {
			t.Errorf("left after destroy (tag %s=%s):\n  %s", testTagKey, tagValue, strings.Join(left, "\n  "))
			return
		}
		time.Sleep(10 * time.Second)
	}
}

// workRoot is the folder copyTree made, above a root inside it.
func workRoot(dir string) string {
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if strings.HasPrefix(filepath.Base(d), "calinks-test-") {
			return d
		}
	}
	return dir
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }
