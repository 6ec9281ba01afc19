/** One learner's last Check of one lab, for the instructor: the grade and the files graded. */
import type { Metadata } from 'next';
import { LearnerSubmissionView } from '../../../components/class/LearnerSubmissionView';

export const metadata: Metadata = { title: 'Last Check' };
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ learner: string; lab: string }> };

export default async function LearnerSubmissionPage({ params }: Props) {
  const { learner, lab } = await params;
  return <LearnerSubmissionView pseudonym={learner} labId={lab} />;
}
