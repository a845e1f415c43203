// Package bench compares the same worker built two ways, applied to the AWS
// endpoint in one run, alternating: (a) plain hashicorp/aws resources and
// (b) one calinks_worker_pipeline. It prints wall times (median of the runs),
// AWS API calls counted in the endpoint's request log, whether the plan right
// after apply is empty, and the ratios. Run it with `make bench`.
package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calinks/terraform-provider-calinks/internal/testfixture"
)

// phase is one measured CLI command: its wall time and API calls.
type phase struct {
	seconds float64
	calls   int
}

type result struct {
	create, plan, destroy []phase
	emptyPlan             []bool
}

func TestBenchmarkWorker(t *testing.T) {
	logPath := os.Getenv("EMULATOR_LOG")
	if os.Getenv("AWS_ENDPOINT_URL") == "" || logPath == "" {
		t.Skip("needs the local endpoint and its request log: run make bench")
	}
	runs := 3
	if v, err := strconv.Atoi(os.Getenv("BENCH_RUNS")); err == nil && v > 0 {
		runs = v
	}
	f := testfixture.New(t)
	_, file, _, _ := runtime.Caller(0)
	here := filepath.Dir(file)
	variants := []string{"plain", "pipeline"}
	dirs := map[string]string{}
	for _, v := range variants {
		dir := t.TempDir()
		for _, name := range []string{"main.tf", "variables.tf"} {
			src, err := os.ReadFile(filepath.Join(here, v, name))
			testfixture.Must(t, err)
			testfixture.Must(t, os.WriteFile(filepath.Join(dir, name), src, 0o600))
		}
		tf(t, dir, "init", "-input=false")
		dirs[v] = dir
	}
	results := map[string]*result{"plain": {}, "pipeline": {}}
	for run := 0; run < runs; run++ {
		for _, v := range variants { // alternate, so that drift of the machine hits both alike
			vars := []string{
				"-var", fmt.Sprintf("name=bench-%s-%s-%d", v, f.Suffix, run), "-var", "topic_arn=" + f.TopicARNs[0],
				"-var", "cluster=" + f.Cluster, "-var", "subnet_id=" + f.SubnetID, "-var", "security_group_id=" + f.SecurityGroup,
				"-var", "task_role_arn=" + f.TaskRoleARN, "-var", "aws_max_retries=1",
			}
			if v == "pipeline" {
				vars = append(vars, "-var", "redrive_allow_policy_enabled=false") // the emulator lacks RedriveAllowPolicy
			}
			r := results[v]
			p, _ := measure(t, logPath, dirs[v], append([]string{"apply", "-auto-approve", "-input=false"}, vars...)...)
			r.create = append(r.create, p)
			p, code := measure(t, logPath, dirs[v], append([]string{"plan", "-detailed-exitcode", "-input=false"}, vars...)...)
			r.plan = append(r.plan, p)
			r.emptyPlan = append(r.emptyPlan, code == 0)
			p, _ = measure(t, logPath, dirs[v], append([]string{"destroy", "-auto-approve", "-input=false"}, vars...)...)
			r.destroy = append(r.destroy, p)
			t.Logf("run %d %-8s create %.1fs (%d calls), plan %.1fs (empty %v), destroy %.1fs", run+1, v, r.create[run].seconds, r.create[run].calls, r.plan[run].seconds, code == 0, r.destroy[run].seconds)
		}
	}
	report(runs, results["plain"], results["pipeline"])
}

// measure runs one CLI command and returns its wall time, the requests the
// endpoint logged meanwhile, and the exit code (2 = plan has changes).
func measure(t *testing.T, logPath, dir string, args ...string) (phase, int) {
	t.Helper()
	before := requestCount(t, logPath)
	start := time.Now()
	code := tfCode(t, dir, args...)
	elapsed := time.Since(start).Seconds()
	if code == 1 {
		t.Fatalf("%v failed", args[:1])
	}
	return phase{seconds: elapsed, calls: requestCount(t, logPath) - before}, code
}

func requestCount(t *testing.T, logPath string) int {
	b, err := os.ReadFile(logPath)
	testfixture.Must(t, err)
	return bytes.Count(b, []byte(`HTTP/1.1"`))
}

func tfBin() string {
	if b := os.Getenv("TF_BIN"); b != "" {
		return b
	}
	return "terraform"
}

func tf(t *testing.T, dir string, args ...string) {
	t.Helper()
	if code := tfCode(t, dir, args...); code != 0 {
		t.Fatalf("%s %v exited %d", tfBin(), args, code)
	}
}

func tfCode(t *testing.T, dir string, args ...string) int {
	t.Helper()
	cmd := exec.Command(tfBin(), append([]string{"-chdir=" + dir}, append(args, "-no-color")...)...)
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil {
		t.Fatalf("%s: %v", tfBin(), err)
	}
	code := cmd.ProcessState.ExitCode()
	if code == 1 {
		t.Log(string(out))
	}
	return code
}

func median(ps []phase, pick func(phase) float64) float64 {
	v := make([]float64, len(ps))
	for i, p := range ps {
		v[i] = pick(p)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func seconds(p phase) float64 { return p.seconds }
func calls(p phase) float64   { return float64(p.calls) }

func report(runs int, a, b *result) {
	var s strings.Builder
	fmt.Fprintf(&s, "\nworker chain, %d runs each, alternating; medians; API calls from the endpoint's request log\n", runs)
	fmt.Fprintf(&s, "%-10s %12s %12s %12s %12s %12s %12s %s\n", "variant", "create s", "create calls", "plan s", "plan calls", "destroy s", "destroy calls", "empty plan after apply")
	for _, row := range []struct {
		name string
		r    *result
	}{{"(a) aws", a}, {"(b) calinks", b}} {
		fmt.Fprintf(&s, "%-10s %12.2f %12.0f %12.2f %12.0f %12.2f %12.0f %v\n", row.name,
			median(row.r.create, seconds), median(row.r.create, calls), median(row.r.plan, seconds), median(row.r.plan, calls),
			median(row.r.destroy, seconds), median(row.r.destroy, calls), row.r.emptyPlan)
	}
	fmt.Fprintf(&s, "ratio a/b: create %.1fx faster, no-op plan %.1fx, destroy %.1fx; create calls %.0f vs %.0f\n",
		median(a.create, seconds)/median(b.create, seconds), median(a.plan, seconds)/median(b.plan, seconds),
		median(a.destroy, seconds)/median(b.destroy, seconds), median(a.create, calls), median(b.create, calls))
	fmt.Print(s.String())
}
