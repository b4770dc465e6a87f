/** The live chart: training loss per step (light), its running mean (dark), test accuracy (dots, right axis). */

export interface Series { losses: number[]; evals: { step: number; accuracy: number }[]; steps: number }

export function drawCurve(canvas: HTMLCanvasElement, { losses, evals, steps }: Series): void {
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  const pad = { left: 90, right: 100, top: 30, bottom: 70 };
  const pw = w - pad.left - pad.right;
  const ph = h - pad.top - pad.bottom;
  g.clearRect(0, 0, w, h);
  g.font = '24px system-ui, sans-serif';
  g.lineWidth = 2;

  const finite = losses.filter(Number.isFinite);
  const top = Math.max(1e-6, ...finite.slice(0, 1), ...finite) * 1.05;
  const x = (step: number) => pad.left + (pw * step) / Math.max(1, steps);
  const yLoss = (v: number) => pad.top + ph * (1 - Math.min(v, top) / top);
  const yAcc = (a: number) => pad.top + ph * (1 - a);

  // axes, ticks and labels
  g.strokeStyle = '#999';
  g.fillStyle = '#444';
  g.strokeRect(pad.left, pad.top, pw, ph);
  g.textAlign = 'right';
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    g.fillText(v.toPrecision(2), pad.left - 10, yLoss(v) + 8);
  }
  g.textAlign = 'left';
  for (let i = 0; i <= 4; i++) g.fillText(`${25 * i}%`, pad.left + pw + 10, yAcc(i / 4) + 8);
  g.textAlign = 'center';
  for (let i = 0; i <= 4; i++) g.fillText(String(Math.round((steps * i) / 4)), x((steps * i) / 4), h - pad.bottom + 32);
  g.fillText('step', pad.left + pw / 2, h - 12);

  // the loss of every step, then a running mean over 20 steps
  const line = (values: number[], color: string) => {
    g.strokeStyle = color;
    g.beginPath();
    values.forEach((v, i) => (i ? g.lineTo(x(i + 1), yLoss(v)) : g.moveTo(x(1), yLoss(v))));
    g.stroke();
  };
  line(losses, '#9ecae1');
  let sum = 0;
  line(losses.map((v, i) => { sum += v - (i >= 20 ? losses[i - 20] : 0); return sum / Math.min(i + 1, 20); }), '#08519c');

  g.fillStyle = '#e6550d';
  for (const e of evals) { g.beginPath(); g.arc(x(e.step), yAcc(e.accuracy), 7, 0, 2 * Math.PI); g.fill(); }

  g.textAlign = 'left';
  g.fillStyle = '#08519c';
  g.fillText('training loss', pad.left + 12, pad.top + 30);
  g.fillStyle = '#e6550d';
  g.fillText('test accuracy', pad.left + 12, pad.top + 60);
}
