// Notification emails (spec: security/notifications.md): publish notifications to a crate's
// owners and typosquat alerts to the security team, composed as records and delivered with
// nodemailer over SMTP, a job failing (to be retried) only when every recipient failed.
export { type ComposeOptions, crateLink, describePublisher, type OutgoingMessage, type PublishedVersion, publishNotifications, typosquatAlert } from './compose.ts'
export { type DeliverOptions, type DeliveryResult, deliverJob } from './deliver.ts'
export { composeOutbox, deliveryJobs, type OutboxOptions } from './outbox.ts'
export { type MalformedUser, parseUsers, type User } from './users.ts'
