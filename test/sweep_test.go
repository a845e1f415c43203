package test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/gruntwork-io/terratest/modules/random"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// TestSweep leaves tagged objects behind as a crashed run would, and checks
// that a dry run only lists them and a real run deletes all of them.
func TestSweep(t *testing.T) {
	t.Parallel()
	cfg := awsConfig()
	name := uniqueName("sw", random.UniqueID())
	tag := caseTag(name)

	must(sqs.NewFromConfig(cfg).CreateQueue(t.Context(), &sqs.CreateQueueInput{QueueName: aws.String(name), Tags: map[string]string{testTagKey: tag}}))(t)
	must(sns.NewFromConfig(cfg).CreateTopic(t.Context(), &sns.CreateTopicInput{Name: aws.String(name), Tags: []snstypes.Tag{{Key: aws.String(testTagKey), Value: aws.String(tag)}}}))(t)
	must(iam.NewFromConfig(cfg).CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		Tags: []iamtypes.Tag{{Key: aws.String(testTagKey), Value: aws.String(tag)}}}))(t)
	s3client := s3.NewFromConfig(cfg)
	must(s3client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name), CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(target.Region)}}))(t)
	must(s3client.PutBucketTagging(t.Context(), &s3.PutBucketTaggingInput{Bucket: aws.String(name), Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String(testTagKey), Value: aws.String(tag)}}}}))(t)
	must(s3client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String("left.txt"), Body: strings.NewReader("left")}))(t)

	found := must(sweep.Find(t.Context(), cfg, tag))(t)
	if len(found) != 4 {
		t.Fatalf("found %d tagged objects, want queue, topic, role and bucket: %+v", len(found), found)
	}
	var log bytes.Buffer
	if err := sweep.Delete(t.Context(), cfg, found, true, &log); err != nil {
		t.Fatal(err)
	}
	// moto's tagging API, under the suite's load, now and then leaves out
	// objects it listed a moment before: a short count is asked again. A dry
	// run that deleted something stays short.
	n := len(must(sweep.Find(t.Context(), cfg, tag))(t))
	for try := 0; n < 4 && try < 3; try++ {
		time.Sleep(time.Second)
		n = len(must(sweep.Find(t.Context(), cfg, tag))(t))
	}
	if n != 4 || strings.Count(log.String(), "would delete") != 4 {
		t.Fatalf("dry run deleted something (%d left) or did not list all:\n%s", n, log.String())
	}
	if err := sweep.Delete(t.Context(), cfg, found, false, &log); err != nil {
		t.Fatal(err)
	}
	if left := must(sweep.Find(t.Context(), cfg, tag))(t); len(left) != 0 {
		t.Errorf("left after the sweep: %+v\n%s", left, log.String())
	}
}
