package adopt

import (
	"slices"
	"testing"
)

// A worker stack as Copilot renders it (worker-test.stack.yml): short forms,
// no deletion policy on the queue or the key; the queue retained by hand
// (docs/migrating-from-copilot.md, step 2.1) but not on replacement.
const workerTemplate = `
Parameters:
  AppName: {Type: String}
Resources:
  EventsKMSKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Version: '2012-10-17'}
  EventsQueue:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties:
      KmsMasterKeyId: !Ref EventsKMSKey
      QueueName: !Sub '${AppName}-events.fifo'
  Service:
    Type: AWS::ECS::Service
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      Cluster: !ImportValue {'Fn::Sub': '${AppName}-ClusterId'}
  BacklogPerTaskCalculatorFunction:
    Type: AWS::Lambda::Function
`

func TestTemplatePolicies(t *testing.T) {
	got, err := templatePolicies(workerTemplate)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{"EventsKMSKey": {}, "EventsQueue": {"Retain", ""}, "Service": {"Retain", "Retain"}, "BacklogPerTaskCalculatorFunction": {}}
	if len(got) != len(want) {
		t.Fatalf("policies = %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: policies %v, want %v", id, got[id], w)
		}
	}
	json, err := templatePolicies(`{"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Snapshot"}}}`)
	if err != nil || json["Table"] != [2]string{"Snapshot", ""} {
		t.Errorf("a JSON template: %v, %v", json, err)
	}
}

// TestNotRetained: adopted objects, by the physical IDs CloudFormation
// gives them (a queue URL, a service ARN, a key ID, a table name; the
// literals of testEstate), and what is attached to them in their stack,
// are reported with the attributes they lack; nothing else is.
func TestNotRetained(t *testing.T) {
	const worker = "calinks-develop-worker-item"
	resources := []stackResource{
		{Stack: worker, LogicalID: "EventsQueue", Type: "AWS::SQS::Queue",
			PhysicalID: "https://sqs.ap-northeast-1.amazonaws.com/123456789012/calinks-develop-worker-item-EventsQueue-7G8H9I0J1K2L.fifo", DeletionPolicy: "Retain"},
		{Stack: worker, LogicalID: "EventsKMSKey", Type: "AWS::KMS::Key", PhysicalID: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"},
		{Stack: worker, LogicalID: "Service", Type: "AWS::ECS::Service", DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain",
			PhysicalID: "arn:aws:ecs:ap-northeast-1:123456789012:service/calinks-develop-Cluster-1A2B3C4D5E6F/calinks-develop-worker-item-Service-3M4N5O6P7Q8R"},
		{Stack: worker, LogicalID: "itemSNSTopicSubscription", Type: "AWS::SNS::Subscription",
			PhysicalID: "arn:aws:sns:ap-northeast-1:123456789012:calinks-develop-pos-web-app-item.fifo:5e2b3c4d-0000-4000-8000-000000000001"},
		{Stack: worker, LogicalID: "QueuePolicy", Type: "AWS::SQS::QueuePolicy", PhysicalID: "calinks-develop-worker-item-QueuePolicy-1"},
		{Stack: worker, LogicalID: "AutoScalingTarget", Type: "AWS::ApplicationAutoScaling::ScalableTarget", DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain",
			PhysicalID: "service/calinks-develop-Cluster-1A2B3C4D5E6F/calinks-develop-worker-item-Service-3M4N5O6P7Q8R|ecs:service:DesiredCount|ecs"},
		{Stack: worker, LogicalID: "BacklogPerTaskCalculatorFunction", Type: "AWS::Lambda::Function", PhysicalID: "calinks-develop-worker-item-Backlog-1"},
		{Stack: "calinks-develop-AddonsStack-1", LogicalID: "EcOrder", Type: "AWS::DynamoDB::Table", PhysicalID: "calinks-develop-Ec_Order", DeletionPolicy: "Snapshot", UpdateReplacePolicy: "Retain"},
		// A mail add-on: the identity's and a record's physical IDs are their names.
		{Stack: "calinks-develop-AddonsStack-1", LogicalID: "MailIdentity", Type: "AWS::SES::EmailIdentity", PhysicalID: "Develop.MyCalinks.io", DeletionPolicy: "Retain"},
		{Stack: "calinks-develop-AddonsStack-1", LogicalID: "MailVerificationRecord", Type: "AWS::Route53::RecordSet", PhysicalID: "_amazonses.develop.mycalinks.io",
			DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain"},
		{Stack: "calinks-develop-AddonsStack-1", LogicalID: "OtherRecord", Type: "AWS::Route53::RecordSet", PhysicalID: "www.develop.mycalinks.io"},
		// A record named like the domain is not the identity.
		{Stack: "calinks-develop-AddonsStack-1", LogicalID: "ApexRecord", Type: "AWS::Route53::RecordSet", PhysicalID: "develop.mycalinks.io"},
		// A stack with nothing adopted: its subscription is not the root's.
		{Stack: "calinks-develop-legacy", LogicalID: "LegacySubscription", Type: "AWS::SNS::Subscription", PhysicalID: "arn:aws:sns:ap-northeast-1:123456789012:legacy:1"},
	}
	got := notRetained(resources, testEstate().keeps())
	var ids []string
	for _, r := range got {
		ids = append(ids, r.LogicalID)
	}
	if want := []string{"EcOrder", "MailIdentity", "EventsKMSKey", "EventsQueue", "QueuePolicy", "itemSNSTopicSubscription"}; !slices.Equal(ids, want) {
		t.Fatalf("not retained = %v, want %v (the Lambda, the legacy stack and the other record are not adopted; the service, its scalable target and the verification record are retained)", ids, want)
	}
	if !slices.Equal(got[0].Missing, []string{"DeletionPolicy: Retain"}) || !slices.Equal(got[1].Missing, []string{"UpdateReplacePolicy: Retain"}) ||
		len(got[2].Missing) != 2 || !slices.Equal(got[3].Missing, []string{"UpdateReplacePolicy: Retain"}) {
		t.Errorf("missing attributes: %+v", got)
	}
}
