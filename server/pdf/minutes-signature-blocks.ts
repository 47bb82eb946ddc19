// The two signature blocks closing the minutes: THƯ KÝ on the left, CHỦ TRÌ on the right, each with
// "(Ký, ghi rõ họ tên)", an empty box where the digital signature's visible mark will be placed, and
// the printed full name (and under it the chức vụ and đơn vị, when the account has them). Returns the boxes so signing can put each mark exactly there.
import type { MinutesDocument } from '../../shared/minutes';
import type { TextFlow } from './pdf-text-flow';
import { centred } from './minutes-header';
import { SIZES } from './minutes-geometry';

/** A rectangle on one page, PDF user space (points, origin bottom-left); `page` is 0-based. */
export interface SignatureBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface SignatureBoxes {
  secretary: SignatureBox;
  chair: SignatureBox;
}

const BOX_HEIGHT = 78;
const BOX_WIDTH = 190;

export function drawSignatureBlocks(flow: TextFlow, doc: MinutesDocument): SignatureBoxes {
  const titleLh = SIZES.signTitle * 1.2;
  const hintLh = SIZES.signHint * 1.2;
  const nameLh = SIZES.signTitle * 1.2 * 2; // room for a name that wraps
  // the chức vụ and đơn vị, when known, go in small italics under the printed name
  const positionLh = doc.secretary.position || doc.chair.position ? SIZES.signHint * 1.2 * 2 : 0;
  flow.space(10);
  flow.ensure(titleLh + hintLh + BOX_HEIGHT + nameLh + positionLh + 8);
  const half = flow.contentWidth / 2;
  const top = flow.y;
  const block = (x: number, title: string, name: string, position: string | undefined): SignatureBox => {
    let y = centred(flow, title, 'bold', SIZES.signTitle, x, half, top);
    y = centred(flow, '(Ký, ghi rõ họ tên)', 'italic', SIZES.signHint, x, half, y);
    const box: SignatureBox = {
      page: flow.pageCount - 1,
      x: x + (half - BOX_WIDTH) / 2,
      y: y - BOX_HEIGHT - 2,
      width: BOX_WIDTH,
      height: BOX_HEIGHT,
    };
    let end = centred(flow, name, 'bold', SIZES.signTitle, x, half, box.y - 4);
    if (position) end = centred(flow, position, 'italic', SIZES.signHint, x, half, end);
    flow.y = Math.min(flow.y, end);
    return box;
  };
  flow.y = top;
  const secretary = block(flow.left, 'THƯ KÝ', doc.secretary.fullName, doc.secretary.position);
  const afterSecretary = flow.y;
  flow.y = top;
  const chair = block(flow.left + half, 'CHỦ TRÌ', doc.chair.fullName, doc.chair.position);
  flow.y = Math.min(afterSecretary, flow.y);
  return { secretary, chair };
}
