import { type App, ProblemSchema, problemResponses } from '../lib/http.ts';
import { Quote, QuoteRequest } from './model.ts';
import type { FaresService } from './service.ts';

export function faresRoutes(app: App, fares: FaresService): void {
  app.post(
    '/api/fares/quote',
    {
      schema: {
        tags: ['fares'],
        summary:
          'Price a list of legs under the region’s fares (Metropolitan Tong), with the rules that matched',
        body: QuoteRequest,
        response: { 200: Quote, ...problemResponses, 422: ProblemSchema },
      },
      config: { access: 'public' },
    },
    async (request) => fares.quote(request.body),
  );
}
