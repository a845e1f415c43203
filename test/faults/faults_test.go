package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/calinks/terraform-provider-calinks/internal/testfixture"
)

// The matrix runs every operation of calinks_worker_pipeline once per API
// call it makes, with a failure injected at that call, for each fault kind;
// then runs again without faults and checks convergence (an empty plan, or
// an empty state after destroy) and that the endpoint holds nothing of the
// pipeline that state does not.
//
//	FAULTS=slice (default): each fault kind once for create, update and delete
//	FAULTS=full: every call position of every operation, every kind
//	FAULT_KINDS=throttle,5xx,drop,delay: the kinds (default all four)
//
// The provider runs with max_attempts = 1 and retry_mode = "standard", so
// that every injected failure fails the operation instead of being retried
// away by the SDK; the resource's timeouts (create, read, update, delete)
// are 15 s for the setup and the faulted run, and a delayed answer is held
// 20 s, past them. The fault-free apply and plan that judge convergence run
// with 2 min timeouts, as a user's would; a fault-free destroy after a
// faulted delete keeps the timeouts in state. An import reads with the
// default read timeout (an import ID carries no timeouts), so a delayed
// answer there only slows it down.

var (
	cliConfig       string // TF_CLI_CONFIG_FILE with a dev override for the provider under test
	endpoint        string
	runID           = fmt.Sprintf("f%04x", time.Now().UnixNano()&0xffff)
	opTimeout       = "15s"
	delayAnswer     = 20 * time.Second
	convergeTimeout = "2m"
)

func TestMain(m *testing.M) {
	if os.Getenv("AWS_ENDPOINT_URL") == "" {
		fmt.Println("faults: AWS_ENDPOINT_URL not set (make faults sets it to the local emulator); skipped")
		if os.Getenv("FAULTS") != "" { // asked for by make: a silent skip would hide the whole matrix
			os.Exit(1)
		}
		os.Exit(0)
	}
	endpoint = os.Getenv("AWS_ENDPOINT_URL")
	dir, err := os.MkdirTemp("", "calinks-faults-")
	if err != nil {
		panic(err)
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-calinks"), ".")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic(err)
	}
	cliConfig = filepath.Join(dir, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"calinks/calinks\" = %q\n    \"registry.opentofu.org/calinks/calinks\" = %q\n  }\n  direct {}\n}\n", dir, dir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func tfBin() string {
	if b := os.Getenv("TF_BIN"); b != "" {
		return b
	}
	return "terraform"
}

// scenario is one operation: the configuration applied before it (none for
// create), the one it applies, and how it runs.
type scenario struct {
	op     string
	before string // variant applied without faults first; "" for none
	after  string // variant of the operation
}

var scenarios = []scenario{
	{op: "create", after: "base"},
	{op: "update:settings", before: "base", after: "settings"},
	{op: "update:subscriptions", before: "base", after: "subscriptions"},
	{op: "update:removals", before: "base", after: "removals"},
	{op: "update:ownership", before: "base", after: "ownership"},
	{op: "update:rename", before: "base", after: "rename"},
	{op: "delete", before: "base", after: "base"},
	{op: "import", before: "base", after: "base"},
	{op: "refresh", before: "base", after: "base"},
}

// pipeline is one case's surroundings.
type pipeline struct {
	f       testfixture.Fixture
	name    string // worker name, unique per case
	env     string
	dir     string
	proxy   *Proxy
	ciTask  string
	timeout string // the resource's timeouts written into the configuration
}

func (p *pipeline) family() string { return "fault-" + p.env + "-" + p.name }

// renamedApp is the app of the rename variant: its revisions go to another family.
const renamedApp = "faultmv"

// families are the task definition families the case's pipeline may register into.
func (p *pipeline) families() []string {
	return []string{p.family(), renamedApp + "-" + p.env + "-" + p.name}
}
func (p *pipeline) queue() string { return p.family() + ".fifo" }

func (p *pipeline) config(variant string) string {
	var body string
	app := "fault"
	base := fmt.Sprintf(`
  container = { image = "worker:1" }
  kms_master_key_id = "alias/calinks-faults"
  tags = { team = "pos" }
  subscriptions = {
    item = { topic_arn = %q, filter_policy = jsonencode({ kind = ["created"] }) }
  }
  autoscaling = { max_capacity = 3, acceptable_latency_seconds = 60, message_processing_seconds = 10 }`, p.f.TopicARNs[0])
	switch variant {
	case "base":
		body = base
	case "settings":
		body = fmt.Sprintf(`
  container = { image = "worker:2", environment = { LOG_LEVEL = "debug" } }
  kms_master_key_id = "alias/calinks-faults"
  visibility_timeout_seconds = 90
  tags = { team = "ec", tier = "worker" }
  subscriptions = {
    item = { topic_arn = %q, filter_policy = jsonencode({ kind = ["created", "updated"] }), raw_message_delivery = true }
  }
  autoscaling = { max_capacity = 5, acceptable_latency_seconds = 60, message_processing_seconds = 10 }`, p.f.TopicARNs[0])
	case "subscriptions":
		body = fmt.Sprintf(`
  container = { image = "worker:1" }
  kms_master_key_id = "alias/calinks-faults"
  tags = { team = "pos" }
  subscriptions = {
    item  = { topic_arn = %q }
    extra = { topic_arn = %q, filter_policy = jsonencode({ kind = ["created"] }) }
  }
  autoscaling = { max_capacity = 3, acceptable_latency_seconds = 60, message_processing_seconds = 10 }`, p.f.TopicARNs[1], p.f.TopicARNs[0])
	case "removals":
		body = `
  container = { image = "worker:1" }`
	case "rename":
		// app changes in place (the queue and service keep their names):
		// the worker's revisions move to another family.
		app = renamedApp
		body = fmt.Sprintf(`
  queue_name   = %q
  service_name = %q`, p.queue(), p.name) + base
	case "ownership":
		body = fmt.Sprintf(`
  task_definition_ownership = "external"
  task_definition_arn = %q
  kms_master_key_id = "alias/calinks-faults"
  tags = { team = "pos" }
  subscriptions = {
    item = { topic_arn = %q, filter_policy = jsonencode({ kind = ["created"] }) }
  }
  autoscaling = { max_capacity = 3, acceptable_latency_seconds = 60, message_processing_seconds = 10 }`, p.ciTask, p.f.TopicARNs[0])
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    calinks = { source = "calinks/calinks" }
  }
}

provider "calinks" {
  region       = %q
  endpoint     = %q
  max_attempts = 1
  retry_mode   = "standard"
  default_tags {
    tags = { "calinks:test" = "faults" }
  }
}

resource "calinks_worker_pipeline" "p" {
  app                = %q
  environment        = %q
  name               = %q
  cluster            = %q
  subnet_ids         = [%q]
  security_group_ids = [%q]
  task_role_arn      = %q
  dead_letter_queue_redrive_allow_policy = false
%s
  timeouts {
    create = %q
    read   = %q
    update = %q
    delete = %q
  }
}
`, testfixture.Region, p.proxy.URL, app, p.env, p.name, p.f.Cluster, p.f.SubnetID, p.f.SecurityGroup, p.f.TaskRoleARN, body, p.timeout, p.timeout, p.timeout, p.timeout)
}

// tf runs the CLI in the case's folder; it returns the exit code and output.
func (p *pipeline) tf(args ...string) (int, string) {
	cmd := exec.Command(tfBin(), args...)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			return ee.ExitCode(), out.String()
		}
		return -1, out.String() + err.Error()
	}
	return 0, out.String()
}

func (p *pipeline) write(variant string) {
	if err := os.WriteFile(filepath.Join(p.dir, "main.tf"), []byte(p.config(variant)), 0o644); err != nil {
		panic(err)
	}
}

func (p *pipeline) importID() string {
	return p.f.Cluster + "/" + p.name + "/" + p.queue()
}

// result is one cell of the matrix.
type result struct {
	op        string
	call      string
	kind      Kind
	failed    bool // the faulted run failed (the failure reached the operation)
	converged bool
	orphans   []string
	note      string
	elapsed   time.Duration
}

// run executes one case: the scenario with rule injected (none for the
// baseline), the run without faults, the checks, and the clean-up.
func run(t *testing.T, f testfixture.Fixture, clients testfixture.Clients, sc scenario, name string, rule *Rule) (result, []Call) {
	start := time.Now()
	proxy, err := NewProxy(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	proxy.Delay = delayAnswer
	p := &pipeline{f: f, name: name, env: runID, dir: t.TempDir(), proxy: proxy, timeout: opTimeout}
	res := result{op: sc.op}
	if rule != nil {
		res.call, res.kind = rule.String(), rule.Kind
	}
	defer func() { res.elapsed = time.Since(start) }()
	if sc.after == "ownership" {
		p.ciTask = registerCITask(t, f, clients, name)
	}
	if sc.before != "" {
		p.write(sc.before)
		if code, out := p.tf("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
			t.Fatalf("setup apply failed:\n%s", out)
		}
		if sc.op == "import" {
			if code, out := p.tf("state", "rm", "calinks_worker_pipeline.p"); code != 0 {
				t.Fatalf("state rm: %s", out)
			}
		}
	}
	p.write(sc.after)
	var opArgs []string
	switch sc.op {
	case "import":
		opArgs = []string{"import", "-input=false", "-no-color", "calinks_worker_pipeline.p", p.importID()}
	case "refresh":
		opArgs = []string{"apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"}
	default:
		planArgs := []string{"plan", "-out=op.tfplan", "-input=false", "-no-color"}
		if sc.op == "delete" {
			planArgs = append(planArgs, "-destroy")
		}
		if code, out := p.tf(planArgs...); code != 0 {
			t.Fatalf("plan of the operation failed:\n%s", out)
		}
		opArgs = []string{"apply", "-input=false", "-no-color", "op.tfplan"}
	}
	if rule != nil {
		proxy.Reset(*rule)
	} else {
		proxy.Reset()
	}
	code, out := p.tf(opArgs...)
	calls := proxy.Calls()
	res.failed = code != 0
	if rule != nil && len(proxy.Injected()) == 0 {
		res.note = "call not reached" // no fault tested: not counted as converged
	}
	proxy.Reset()

	// The run without faults.
	if sc.op == "delete" {
		if code, out2 := p.tf("destroy", "-auto-approve", "-input=false", "-no-color"); code != 0 {
			res.note = firstError(out2)
		}
		_, list := p.tf("state", "list")
		res.converged = strings.TrimSpace(list) == "" && res.note == ""
	} else {
		if _, list := p.tf("state", "list"); !strings.Contains(list, "calinks_worker_pipeline.p") {
			switch {
			case sc.op == "import":
				// The user runs the failed import again.
				if code, out2 := p.tf("import", "-input=false", "-no-color", "calinks_worker_pipeline.p", p.importID()); code != 0 {
					res.note = firstError(out2)
				}
			case sc.before != "":
				// A pipeline that was in state must stay there: a dropped one
				// orphans what it holds.
				res.note = "state lost the pipeline"
			default:
				// A create that saved nothing must have made nothing.
				for _, o := range orphans(clients, p, nil) {
					res.orphans = append(res.orphans, "after the failed create, outside state: "+o)
				}
			}
		}
		// Convergence is judged without the short timeouts that make a
		// delayed answer fail the faulted run: on two shared cores a
		// fault-free apply can take longer than them.
		p.timeout = convergeTimeout
		p.write(sc.after)
		applyCode, applyOut := p.tf("apply", "-auto-approve", "-input=false", "-no-color")
		switch {
		case applyCode != 0:
			res.note = "fault-free apply failed: " + firstError(applyOut)
		case sc.before != "" && strings.Contains(applyOut, "calinks_worker_pipeline.p: Creating..."):
			// The endpoint answers a second CreateQueue for the same name with
			// the existing queue: a pipeline dropped from state and made again
			// would otherwise pass as converged.
			res.note = "the fault-free apply created the pipeline again"
		}
		code, out2 := p.tf("plan", "-detailed-exitcode", "-input=false", "-no-color")
		if code != 0 && res.note == "" {
			res.note = "plan not empty: " + planSummary(out2)
		}
		if sc.after == "ownership" && res.note == "" {
			res.note = p.checkDeployed(clients, p.ciTask)
		}
		res.converged = code == 0 && res.note == ""
	}
	held := p.stateIDs()
	res.orphans = append(res.orphans, orphans(clients, p, held)...)
	if res.failed && res.note == "" {
		res.note = firstError(out)
	}

	// Clean up, and count what destroy leaves as orphans too.
	if sc.op != "delete" {
		if code, out := p.tf("destroy", "-auto-approve", "-input=false", "-no-color"); code != 0 {
			t.Logf("clean-up destroy failed: %s", firstError(out))
		}
		for _, o := range orphans(clients, p, nil) {
			res.orphans = append(res.orphans, "after destroy: "+o)
		}
	}
	if p.ciTask != "" {
		if note := ciTaskActive(clients, p.ciTask); note != "" {
			res.converged, res.note = false, note
		}
		_, _ = clients.ECS.DeregisterTaskDefinition(context.Background(), &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(p.ciTask)})
	}
	return res, calls
}

// ciTaskActive describes why the external owner's revision is no longer
// ACTIVE after the operation, its convergence and the clean-up, or is "":
// it belongs to the external owner, never to the pipeline.
func ciTaskActive(c testfixture.Clients, arn string) string {
	out, err := c.ECS.DescribeTaskDefinition(context.Background(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
	switch {
	case err != nil:
		return "describing the external owner's revision: " + err.Error()
	case out.TaskDefinition.Status != ecstypes.TaskDefinitionStatusActive:
		return fmt.Sprintf("the external owner's revision %s is %s, want ACTIVE", arn, out.TaskDefinition.Status)
	}
	return ""
}

// checkDeployed describes why the case's service does not run want, or is "" when it does.
func (p *pipeline) checkDeployed(c testfixture.Clients, want string) string {
	out, err := c.ECS.DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String(p.f.Cluster), Services: []string{p.name}})
	switch {
	case err != nil:
		return "describing the service: " + err.Error()
	case len(out.Services) != 1:
		return "service not found"
	case aws.ToString(out.Services[0].TaskDefinition) != want:
		return fmt.Sprintf("service runs %s, want the external owner's %s", aws.ToString(out.Services[0].TaskDefinition), want)
	}
	return ""
}

func firstError(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "Error: "); i >= 0 {
			return strings.TrimSpace(line[i:])
		}
	}
	return ""
}

func planSummary(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "Plan:") || strings.Contains(line, "will be") || strings.Contains(line, "must be") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// stateIDs are the IDs the state holds, by kind.
func (p *pipeline) stateIDs() map[string]bool {
	held := map[string]bool{}
	code, out := p.tf("show", "-json", "-no-color")
	if code != 0 {
		return held
	}
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if json.Unmarshal([]byte(out), &doc) != nil {
		return held
	}
	for _, r := range doc.Values.RootModule.Resources {
		v := r.Values
		for _, k := range []string{"queue_url", "dead_letter_queue_url", "task_definition_arn", "service_arn"} {
			if s, ok := v[k].(string); ok && s != "" {
				held[s] = true
				held[queuePath(s)] = true
			}
		}
		if subs, ok := v["subscription_arns"].(map[string]any); ok {
			for _, arn := range subs {
				held[fmt.Sprint(arn)] = true
			}
		}
		if v["autoscaling"] != nil {
			held["scalable-target"] = true
			held["scaling-policy"] = true
		}
	}
	return held
}

// orphans lists, straight from the endpoint, every object of the case's
// pipeline (queues, subscriptions, ACTIVE task definitions of its family,
// service, scalable target, scaling policies) that held does not contain.
func orphans(c testfixture.Clients, p *pipeline, held map[string]bool) []string {
	ctx := context.Background()
	var out []string
	add := func(kind, id string) {
		if !held[id] && !held[queuePath(id)] {
			out = append(out, kind+" "+id)
		}
	}
	// Every listing is read to its last page: AWS pages queues by 1,000,
	// task definitions by 100, services by 10.
	queuePages := sqs.NewListQueuesPaginator(c.SQS, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(p.family())})
	for queuePages.HasMorePages() {
		page, err := queuePages.NextPage(ctx)
		if err != nil {
			out = append(out, "listing queues: "+err.Error())
			break
		}
		for _, url := range page.QueueUrls {
			name := url[strings.LastIndex(url, "/")+1:]
			if rest := strings.TrimPrefix(name, p.family()); rest != "" && rest[0] != '.' && rest[0] != '-' {
				continue // another case's worker: w1 is a prefix of w10
			}
			add("queue", url)
		}
	}
	pages := sns.NewListSubscriptionsPaginator(c.SNS, &sns.ListSubscriptionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			out = append(out, "listing subscriptions: "+err.Error())
			break
		}
		for _, s := range page.Subscriptions {
			endpoint := aws.ToString(s.Endpoint)
			name := endpoint[strings.LastIndex(endpoint, ":")+1:]
			if name == p.queue() || name == p.family()+"-dlq.fifo" {
				add("subscription", aws.ToString(s.SubscriptionArn))
			}
		}
	}
	for _, family := range p.families() {
		revisionPages := ecs.NewListTaskDefinitionsPaginator(c.ECS, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(family), Status: ecstypes.TaskDefinitionStatusActive})
		for revisionPages.HasMorePages() {
			page, err := revisionPages.NextPage(ctx)
			if err != nil {
				out = append(out, "listing task definitions: "+err.Error())
				break
			}
			for _, arn := range page.TaskDefinitionArns {
				if name := arn[strings.LastIndex(arn, "/")+1:]; strings.HasPrefix(name, family+":") {
					add("task-definition", arn)
				}
			}
		}
	}
	servicePages := ecs.NewListServicesPaginator(c.ECS, &ecs.ListServicesInput{Cluster: aws.String(p.f.Cluster)})
	for servicePages.HasMorePages() {
		page, err := servicePages.NextPage(ctx)
		if err != nil {
			out = append(out, "listing services: "+err.Error())
			break
		}
		for _, arn := range page.ServiceArns {
			if !strings.HasSuffix(arn, "/"+p.name) {
				continue
			}
			// ListServices also lists services being deleted: only ACTIVE ones count.
			d, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(p.f.Cluster), Services: []string{arn}})
			if err == nil && len(d.Services) == 1 && aws.ToString(d.Services[0].Status) == "ACTIVE" {
				add("service", arn)
			}
		}
	}
	resourceID := "service/" + p.f.Cluster + "/" + p.name
	if tg, err := c.AutoScaling.DescribeScalableTargets(ctx, &applicationautoscaling.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceIds: []string{resourceID}}); err == nil {
		for range tg.ScalableTargets {
			add("scalable-target", "scalable-target")
		}
	} else {
		out = append(out, "listing scalable targets: "+err.Error())
	}
	if pol, err := c.AutoScaling.DescribeScalingPolicies(ctx, &applicationautoscaling.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String(resourceID)}); err == nil {
		for range pol.ScalingPolicies {
			add("scaling-policy", "scaling-policy")
		}
	} else {
		out = append(out, "listing scaling policies: "+err.Error())
	}
	return out
}

func registerCITask(t *testing.T, f testfixture.Fixture, c testfixture.Clients, name string) string {
	out, err := c.ECS.RegisterTaskDefinition(context.Background(), &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("ci-" + runID + "-" + name), NetworkMode: ecstypes.NetworkModeAwsvpc, Cpu: aws.String("256"), Memory: aws.String("512"),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, TaskRoleArn: aws.String(f.TaskRoleARN),
		// Its own family and container name, as a CI pipeline's may be: the
		// pipeline must neither read it as its worker nor deregister it.
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("ci-build:1"), Essential: aws.Bool(true)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

func kindsFromEnv() []Kind {
	v := os.Getenv("FAULT_KINDS")
	if v == "" {
		return []Kind{Throttle, ServerError, Drop, Delay}
	}
	var kinds []Kind
	for _, k := range strings.Split(v, ",") {
		kinds = append(kinds, Kind(strings.TrimSpace(k)))
	}
	return kinds
}

// sliceCases picks, for make test, each kind once for create, one update and
// delete, at a call in the middle of the operation (where the most exists
// already and the most is still to do).
func sliceCase(op string) (Call, bool) {
	switch op {
	case "create":
		return Call{Service: "ecs", Action: "CreateService", N: 1}, true
	case "update:settings":
		return Call{Service: "ecs", Action: "UpdateService", N: 1}, true
	case "delete":
		return Call{Service: "ecs", Action: "DeleteService", N: 1}, true
	}
	return Call{}, false
}

func TestFaultMatrix(t *testing.T) {
	full := os.Getenv("FAULTS") == "full"
	f := testfixture.New(t)
	clients := f.Clients
	kinds := kindsFromEnv()
	var (
		mu      sync.Mutex
		results []result
		seq     int
	)
	nextName := func() string {
		mu.Lock()
		defer mu.Unlock()
		seq++
		return fmt.Sprintf("w%d", seq)
	}
	t.Run("cases", func(t *testing.T) {
		for _, sc := range scenarios {
			sliceCall, inSlice := sliceCase(sc.op)
			if !full && !inSlice {
				continue
			}
			t.Run(sc.op, func(t *testing.T) {
				t.Parallel()
				var positions []Call
				if full {
					base, calls := run(t, f, clients, sc, nextName(), nil)
					if !base.converged || len(base.orphans) > 0 {
						t.Errorf("%s without faults: converged=%v orphans=%v %s", sc.op, base.converged, base.orphans, base.note)
					}
					positions = Positions(calls)
				} else {
					positions = []Call{sliceCall}
				}
				for _, call := range positions {
					for _, kind := range kinds {
						rule := Rule{Call: call, Kind: kind}
						t.Run(call.String()+"/"+string(kind), func(t *testing.T) {
							t.Parallel()
							res, _ := run(t, f, clients, sc, nextName(), &rule)
							mu.Lock()
							results = append(results, res)
							mu.Unlock()
							if !res.converged || len(res.orphans) > 0 {
								t.Errorf("%s %s %s: converged=%v orphans=%v %s", sc.op, call, kind, res.converged, res.orphans, res.note)
							}
						})
					}
				}
			})
		}
	})
	printMatrix(t, results, kinds)
}

func printMatrix(t *testing.T, results []result, kinds []Kind) {
	sort.Slice(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if a.op != b.op {
			return opOrder(a.op) < opOrder(b.op)
		}
		if a.call != b.call {
			return a.call < b.call
		}
		return a.kind < b.kind
	})
	var b strings.Builder
	b.WriteString("\n| operation | call | fault | faulted run | converged | orphans |\n|---|---|---|---|---|---|\n")
	type agg struct{ cases, failed, converged, orphans int }
	byOp := map[string]*agg{}
	var ops []string
	for _, r := range results {
		faulted := "succeeded"
		if r.failed {
			faulted = "failed"
		}
		if r.note == "call not reached" {
			faulted = "call not reached"
		}
		conv := "yes"
		if !r.converged {
			conv = "NO"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d |\n", r.op, r.call, r.kind, faulted, conv, len(r.orphans))
		a := byOp[r.op]
		if a == nil {
			a = &agg{}
			byOp[r.op] = a
			ops = append(ops, r.op)
		}
		a.cases++
		if r.failed {
			a.failed++
		}
		if r.converged {
			a.converged++
		}
		a.orphans += len(r.orphans)
	}
	sort.Slice(ops, func(i, j int) bool { return opOrder(ops[i]) < opOrder(ops[j]) })
	b.WriteString("\n| operation | cases | faulted runs failed | converged | orphans |\n|---|---|---|---|---|\n")
	total := agg{}
	for _, op := range ops {
		a := byOp[op]
		fmt.Fprintf(&b, "| %s | %d | %d | %d/%d | %d |\n", op, a.cases, a.failed, a.converged, a.cases, a.orphans)
		total.cases += a.cases
		total.failed += a.failed
		total.converged += a.converged
		total.orphans += a.orphans
	}
	fmt.Fprintf(&b, "| **all** (%s) | %d | %d | %d/%d | %d |\n", kindsList(kinds), total.cases, total.failed, total.converged, total.cases, total.orphans)
	t.Log(b.String())
	if path := os.Getenv("FAULTS_REPORT"); path != "" {
		_ = os.WriteFile(path, []byte(b.String()), 0o644)
	}
}

func kindsList(kinds []Kind) string {
	var s []string
	for _, k := range kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

func opOrder(op string) int {
	for i, sc := range scenarios {
		if sc.op == op {
			return i
		}
	}
	return len(scenarios)
}

// queuePath is a queue URL without scheme and host: the endpoint names its
// queues after the host it was reached at, the proxy's for the provider.
func queuePath(id string) string {
	if !strings.HasPrefix(id, "http") {
		return id
	}
	_, rest, _ := strings.Cut(id, "//")
	return rest[strings.Index(rest, "/"):] //nolint:gocritic // a queue URL always has a path after its host
}
