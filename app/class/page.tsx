/** The class view: the instructor signs in with the operator's secret and sees every learner's progress. */
import type { Metadata } from 'next';
import { ClassView } from '../components/class/ClassView';

export const metadata: Metadata = { title: 'Class' };
// Rendered per request, so Next gives its inline scripts the nonce of this response's CSP.
export const dynamic = 'force-dynamic';

export default function ClassPage() {
  return <ClassView />;
}
