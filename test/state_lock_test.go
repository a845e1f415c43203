package test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/gruntwork-io/terratest/modules/random"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// TestStateLock runs applies of one root at once against the S3 backend the
// environments use (environments/staging/backend.hcl, use_lockfile = true):
// while the first holds the lock, a second without a lock timeout fails with
// a lock error, and a third that waits for the lock applies after it, so the
// state ends with what the first and the third made and nothing lost
// (Terraform's S3 backend docs, "State Locking": the lock is a
// <key>.tflock object written with a conditional PUT).
func TestStateLock(t *testing.T) {
	t.Parallel()
	name := uniqueName("lock", random.UniqueID())
	client := s3.NewFromConfig(awsConfig())
	bucket := name + "-state"
	input := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if target.Region != "us-east-1" {
		input.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(target.Region)}
	}
	must(client.CreateBucket(t.Context(), input))(t)
	defer func() {
		if err := sweep.Delete(t.Context(), awsConfig(), []sweep.Resource{{ARN: "arn:aws:s3:::" + bucket}}, false, io.Discard); err != nil {
			t.Errorf("deleting the state bucket %s: %v", bucket, err)
		}
		assertNothingTagged(t, caseTag(name))
	}()
	must(client.PutBucketTagging(t.Context(), &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &s3types.Tagging{
		TagSet: []s3types.Tag{{Key: aws.String(testTagKey), Value: aws.String(caseTag(name))}}}}))(t)

	dir := copyRoot(t, "test/fixtures/state-lock")
	backend := []string{
		"-backend-config=" + filepath.Join(repoRoot(), "environments", "staging", "backend.hcl"),
		"-backend-config=bucket=" + bucket,
		"-backend-config=key=" + name + "/terraform.tfstate",
		"-backend-config=region=" + target.Region,
	}
	if emulated() {
		backend = append(backend, "-backend-config=endpoints={s3=\""+target.Endpoint+"\"}", "-backend-config=use_path_style=true",
			"-backend-config=skip_credentials_validation=true", "-backend-config=skip_requesting_account_id=true")
	}
	if out, err := runTF(t, dir, append([]string{"init", "-input=false", "-no-color"}, backend...)...); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}

	// The holder takes the lock for 15 s; the others start once it holds it.
	type result struct {
		out   string
		err   error
		ended time.Time
	}
	var wg sync.WaitGroup
	var holder, refused, waiter result
	wg.Add(1)
	go func() {
		defer wg.Done()
		holder.out, holder.err = runTF(t, dir, "apply", "-auto-approve", "-input=false", "-no-color", "-var=runs=[\"first\"]", "-var=hold_seconds=15")
		holder.ended = time.Now()
	}()
	lock, err := waitForObject(t, client, bucket, name+"/terraform.tfstate.tflock", 30*time.Second)
	if err != nil {
		wg.Wait()
		t.Fatalf("the first apply never wrote its lock file: %v\n%s", err, holder.out)
	}
	var lockInfo struct{ ID string }
	if err := json.Unmarshal(lock, &lockInfo); err != nil || lockInfo.ID == "" {
		wg.Wait()
		t.Fatalf("the lock file holds %q, want Terraform's lock info with its ID: %v", lock, err)
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		refused.out, refused.err = runTF(t, dir, "apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s", "-var=runs=[\"refused\"]")
	}()
	go func() {
		defer wg.Done()
		waiter.out, waiter.err = runTF(t, dir, "apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=2m", "-var=runs=[\"first\",\"third\"]")
		waiter.ended = time.Now()
	}()
	wg.Wait()

	if holder.err != nil {
		t.Errorf("the first apply failed: %v\n%s", holder.err, holder.out)
	}
	// Refused because of the holder's lock, named by its ID: not any failure
	// to write a lock.
	if refused.err == nil || !strings.Contains(refused.out, "Error acquiring the state lock") || !strings.Contains(refused.out, lockInfo.ID) {
		t.Errorf("an apply without a lock timeout was not refused on the holder's lock %s (err %v):\n%s", lockInfo.ID, refused.err, refused.out)
	}
	if waiter.err != nil {
		t.Errorf("the apply that waits for the lock failed: %v\n%s", waiter.err, waiter.out)
	} else if !waiter.ended.After(holder.ended) {
		t.Errorf("the apply that waits for the lock ended at %s, before the holder (%s): it did not wait", waiter.ended, holder.ended)
	}
	out, err := runTF(t, dir, "state", "list", "-no-color")
	if err != nil {
		t.Fatalf("state list: %v\n%s", err, out)
	}
	got := strings.Fields(out)
	slices.Sort(got)
	if want := []string{`terraform_data.run["first"]`, `terraform_data.run["third"]`}; !slices.Equal(got, want) {
		t.Errorf("state holds %v, want %v: the first apply's object and the waiting apply's", got, want)
	}
	if _, err := client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(name + "/terraform.tfstate.tflock")}); err == nil {
		t.Error("the lock file is still there after every apply ended")
	}
	if out, err := runTF(t, dir, "destroy", "-auto-approve", "-input=false", "-no-color", "-var=runs=[]"); err != nil {
		t.Errorf("destroy: %v\n%s", err, out)
	}
}

// runTF runs the CLI under test in dir with the suite's environment, for
// five minutes at most.
func runTF(t *testing.T, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tfBinary(), args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// waitForObject returns an object's content once it exists.
func waitForObject(t *testing.T, client *s3.Client, bucket, key string, timeout time.Duration) ([]byte, error) {
	deadline := time.Now().Add(timeout)
	for {
		out, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err == nil {
			content, err := io.ReadAll(out.Body)
			return content, errors.Join(err, out.Body.Close())
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
