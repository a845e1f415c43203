package adopt

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// statefulTypes hold data or messages: after an adoption the root may not
// create one in place of what Copilot had, nor destroy or replace one. An
// Aurora instance holds none (the cluster's volume does): a reader added to
// an adopted cluster is no new data store, and a new cluster is caught as
// aws_rds_cluster.
var statefulTypes = []string{
	"calinks_worker_pipeline", "aws_sqs_queue", "aws_sns_topic", "aws_dynamodb_table", "aws_s3_bucket",
	"aws_rds_cluster", "aws_db_instance", "aws_elasticache_replication_group", "aws_elasticache_serverless_cache",
}

// DefaultAllowCreate matches the stateful objects an environment root adds
// to what Copilot had: the alarm path, and the access logs of the load
// balancer and of the distributions in front of the buckets.
const DefaultAllowCreate = `^module\.(ops(\[0\])?|edge\.module\.access_logs|private_assets\[0\]\.module\.logs|static_site\[0\]\.module\.site\.module\.logs)\.`

var importTo = regexp.MustCompile(`(?m)^\s*to\s*=\s*(\S+)\s*$`)

// ImportAddresses lists the targets of the import blocks of an adoption.tf.
func ImportAddresses(hcl []byte) []string {
	var out []string
	for _, m := range importTo.FindAllSubmatch(hcl, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// PlanChange is one line of the check's report.
type PlanChange struct {
	Address   string
	Actions   []string
	Importing bool
}

// Verdict is the outcome of CheckPlan.
type Verdict struct {
	Changes  []PlanChange
	Problems []string
}

// CheckPlan reads a plan (`terraform show -json`) and finds what an
// adoption must not do: destroy or replace anything; leave an adopted
// object un-imported; create a stateful object (data or messages) other
// than those allowCreate matches (what Copilot never had, such as the
// alarm topic and the load balancer's access-log bucket: DefaultAllowCreate).
func CheckPlan(planJSON []byte, importAddresses []string, allowCreate *regexp.Regexp) (Verdict, error) {
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Type    string `json:"type"`
			Mode    string `json:"mode"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	var v Verdict
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		return v, fmt.Errorf("reading the plan: %w", err)
	}
	imported := map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		c := PlanChange{Address: rc.Address, Actions: rc.Change.Actions, Importing: len(rc.Change.Importing) > 0 && string(rc.Change.Importing) != "null"}
		imported[rc.Address] = c.Importing
		v.Changes = append(v.Changes, c)
		switch {
		case slices.Contains(c.Actions, "delete"):
			v.Problems = append(v.Problems, fmt.Sprintf("%s: planned %s; an adoption destroys and replaces nothing", c.Address, strings.Join(c.Actions, ", ")))
		case slices.Equal(c.Actions, []string{"create"}) && slices.Contains(statefulTypes, rc.Type) && (allowCreate == nil || !allowCreate.MatchString(c.Address)):
			v.Problems = append(v.Problems, fmt.Sprintf("%s: a new %s; Copilot's should be imported (run make adopt), or allow it on purpose", c.Address, rc.Type))
		}
	}
	for _, address := range importAddresses {
		if !imported[address] {
			v.Problems = append(v.Problems, address+": has an import block but the plan does not import it")
		}
	}
	sort.Strings(v.Problems)
	return v, nil
}

// Report prints the imported and stateful changes, then the problems.
func (v Verdict) Report() string {
	var b strings.Builder
	counts := map[string]int{}
	for _, c := range v.Changes {
		key := strings.Join(c.Actions, "+")
		if c.Importing {
			key = "import+" + key
		}
		counts[key]++
		if c.Importing {
			fmt.Fprintf(&b, "  %-8s %s (%s)\n", "import", c.Address, strings.Join(c.Actions, ", "))
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprint(&b, "planned:")
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, counts[k])
	}
	fmt.Fprintln(&b)
	for _, p := range v.Problems {
		fmt.Fprintln(&b, "  problem: "+p)
	}
	return b.String()
}
