import { facilityPaths, facilitySchemas } from "~/modules/facilities/openapi";
import { FREQUENCIES } from "~/modules/rating";
import { benefitPaths, benefitSchemas } from "~/modules/members/benefits-openapi";
import { SORTS } from "./listing-options";

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json for each agency (its
 * own server URL and name). Kept by hand beside the routes it describes: a route that changes
 * its answer changes this document too (tests/integration/api-catalogue.test.ts reads both).
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const minor = (description: string) => ({ type: "integer", description: `${description} In minor units (cents) of \`currency\`.` });
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
const slugParam = {
  name: "slug",
  in: "path",
  required: true,
  description: "The product's short name, as in its web address.",
  schema: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$" },
};

const listParameters = [
  {
    name: "q",
    in: "query",
    description: 'Full-text search (words, "quoted phrases", -excluded words).',
    schema: { type: "string", maxLength: 200 },
  },
  {
    name: "category",
    in: "query",
    description: "Category slug; repeat or separate with commas for several.",
    schema: { type: "array", items: { type: "string" } },
    style: "form",
    explode: true,
  },
  {
    name: "insurer",
    in: "query",
    description: "Insurer slug; repeat or separate with commas for several.",
    schema: { type: "array", items: { type: "string" } },
    style: "form",
    explode: true,
  },
  {
    name: "minPrice",
    in: "query",
    description: "Lowest starting price a year, in MAJOR units (20000 = KES 20,000).",
    schema: { type: "string" },
  },
  { name: "maxPrice", in: "query", description: "Highest starting price a year, in MAJOR units.", schema: { type: "string" } },
  {
    name: "sort",
    in: "query",
    description: "Order of results. Default: relevance with a search, popular without.",
    schema: { type: "string", enum: [...SORTS] },
  },
  { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
  { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 50, default: 20 } },
];

const schemas = {
  Error: {
    type: "object",
    required: ["status", "code", "message", "errors"],
    properties: {
      status: { const: "error" },
      code: { type: "string", examples: ["VALIDATION_ERROR", "NOT_FOUND", "INVALID_JSON", "METHOD_NOT_ALLOWED"] },
      message: { type: "string" },
      errors: {
        type: "object",
        description: "Field (e.g. `minPrice`, `inputs.persons[0].age`) → messages.",
        additionalProperties: { type: "array", items: { type: "string" } },
      },
    },
  },
  Named: { type: "object", required: ["slug", "name"], properties: { slug: { type: "string" }, name: { type: "string" } } },
  ReviewSummary: {
    type: "object",
    properties: { average: { type: ["number", "null"], minimum: 1, maximum: 5 }, count: { type: "integer" } },
  },
  ProductListItem: {
    type: "object",
    required: ["slug", "name", "category", "insurer", "currency", "startingPrice", "url"],
    properties: {
      slug: { type: "string" },
      name: { type: "string" },
      summary: { type: "string" },
      category: ref("Named"),
      insurer: ref("Named"),
      currency: { type: "string", examples: ["KES", "MYR"] },
      startingPrice: minor("A typical customer's annual total, levies included."),
      startingPriceFrequency: { const: "annual" },
      instalment: {
        type: ["object", "null"],
        description: "Fixed-price products: the cheapest instalment.",
        properties: { amount: minor("Each instalment."), frequency: { type: "string", enum: [...FREQUENCIES] }, per: { type: "string" } },
      },
      rating: ref("ReviewSummary"),
      quoteCount: { type: "integer" },
      url: { type: "string", format: "uri" },
      api: { type: "string", format: "uri" },
    },
  },
  ProductList: {
    type: "object",
    required: ["count", "page", "pageSize", "pages", "results", "next", "previous"],
    properties: {
      count: { type: "integer", description: "How many products match, over all pages." },
      page: { type: "integer" },
      pageSize: { type: "integer" },
      pages: { type: "integer" },
      sort: { type: "string", enum: [...SORTS] },
      currency: { type: "string" },
      results: { type: "array", items: ref("ProductListItem") },
      next: { type: ["string", "null"], format: "uri" },
      previous: { type: ["string", "null"], format: "uri" },
    },
  },
  FrequencyPrice: {
    type: "object",
    properties: {
      frequency: { type: "string", enum: [...FREQUENCIES] },
      label: { type: "string" },
      per: { type: "string", examples: ["a month"] },
      instalmentsPerYear: { type: "integer" },
      instalment: minor("Each instalment (annual: the whole year, duties included)."),
      firstInstalment: minor("The first instalment, which also carries fixed duties such as stamp duty."),
      yearTotal: minor("Everything paid over a year."),
    },
  },
  FieldDescription: {
    type: "object",
    description:
      "One quote input, as the web form draws it. Send money as an integer of minor units (JSON numbers) or a string of major units; persons as [{role, age}].",
    required: ["name", "kind", "label", "required", "control"],
    properties: {
      name: { type: "string" },
      kind: { type: "string", enum: ["money", "integer", "select", "boolean", "date", "text", "persons"] },
      label: { type: "string" },
      hint: { type: "string" },
      required: { type: "boolean" },
      control: { type: "string", enum: ["text", "number", "date", "select", "checkbox", "persons"] },
      min: { type: ["number", "string"], description: "Money: minor units; date: YYYY-MM-DD." },
      max: { type: ["number", "string"] },
      step: { type: "number" },
      unit: { type: "string" },
      currency: { type: "string" },
      maxLength: { type: "integer" },
      pattern: { type: "string" },
      uppercase: { type: "boolean" },
      options: { type: "array", items: { type: "object", properties: { value: { type: "string" }, label: { type: "string" } } } },
      roles: { type: "array", items: { type: "object" } },
      maxPersons: { type: "integer" },
      defaultValue: { type: ["string", "boolean"] },
    },
  },
  ProductDetail: {
    type: "object",
    required: ["slug", "name", "category", "insurer", "currency", "startingPrice", "quote"],
    properties: {
      slug: { type: "string" },
      name: { type: "string" },
      summary: { type: "string" },
      description: { type: "string" },
      category: ref("Named"),
      insurer: {
        type: "object",
        properties: {
          slug: { type: "string" },
          name: { type: "string" },
          rating: { type: ["number", "null"] },
          description: { type: "string" },
          logoUrl: { type: ["string", "null"] },
        },
      },
      coverage: { type: "array", items: { type: "object", properties: { label: { type: "string" }, value: { type: "string" } } } },
      features: { type: "array", items: { type: "string" } },
      inclusions: { type: "array", items: { type: "string" } },
      exclusions: { type: "array", items: { type: "string" } },
      waitingPeriodDays: { type: "integer" },
      maxCover: { type: ["integer", "null"], description: "In minor units." },
      requiresUnderwriting: { type: "boolean" },
      currency: { type: "string" },
      startingPrice: minor("A typical customer's annual total."),
      rating: ref("ReviewSummary"),
      quoteCount: { type: "integer" },
      prices: {
        type: "object",
        properties: { description: { type: "string" }, frequencies: { type: "array", items: ref("FrequencyPrice") } },
      },
      quote: {
        type: "object",
        description: "How to ask for a quote: POST these inputs to the endpoint.",
        properties: {
          endpoint: { type: "string", format: "uri" },
          quoteDate: { type: "string", format: "date" },
          validityDays: { type: "integer" },
          frequencies: { type: "array", items: ref("Choice") },
          inputs: { type: "array", items: ref("FieldDescription") },
        },
      },
      faqs: { type: "array", items: { type: "object", properties: { question: { type: "string" }, answer: { type: "string" } } } },
      reviews: {
        type: "array",
        items: {
          type: "object",
          properties: {
            rating: { type: "integer" },
            title: { type: "string" },
            body: { type: "string" },
            author: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
          },
        },
      },
      url: { type: "string", format: "uri" },
    },
  },
  Choice: { type: "object", properties: { value: { type: "string" }, label: { type: "string" } } },
  QuoteRequest: {
    type: "object",
    required: ["product", "inputs"],
    properties: {
      product: { type: "string", description: "The product's slug." },
      frequency: { type: "string", enum: [...FREQUENCIES], default: "annual" },
      inputs: {
        type: "object",
        description: "Values for the product's declared inputs (see ProductDetail.quote.inputs).",
        additionalProperties: true,
      },
    },
  },
  QuoteLine: {
    type: "object",
    required: ["code", "label", "amount"],
    properties: { code: { type: "string" }, label: { type: "string" }, amount: minor("Negative for a discount.") },
  },
  Instalment: {
    type: "object",
    properties: {
      frequency: { type: "string", enum: [...FREQUENCIES] },
      label: { type: "string" },
      instalmentsPerYear: { type: "integer" },
      amount: minor("Each instalment."),
      firstAmount: minor("The first instalment, fixed duties (stamp duty) included."),
      annualTotal: minor("Everything paid over a year at this frequency."),
    },
  },
  Quote: {
    type: "object",
    required: [
      "id",
      "reference",
      "product",
      "frequency",
      "currency",
      "lines",
      "basePremium",
      "levies",
      "total",
      "instalments",
      "validUntil",
      "url",
    ],
    properties: {
      id: { type: "string", format: "uuid" },
      reference: { type: "string", examples: ["BWM-Q-2026-000123"] },
      product: {
        type: "object",
        properties: { slug: { type: "string" }, name: { type: "string" }, insurer: { type: "string" }, category: { type: "string" } },
      },
      frequency: { type: "string", enum: [...FREQUENCIES] },
      currency: { type: "string" },
      quoteDate: { type: "string", format: "date" },
      lines: { type: "array", items: ref("QuoteLine") },
      basePremium: minor("Sum of the premium lines (annual)."),
      levies: { type: "array", items: ref("QuoteLine") },
      totalLevies: minor("Sum of the levies."),
      total: minor("basePremium plus totalLevies: the annual total paid at once."),
      instalments: { type: "array", items: ref("Instalment"), description: "What each payment frequency the product offers costs." },
      annualTotal: minor("What the chosen frequency costs over a year."),
      inputs: { type: "object", additionalProperties: true, description: "The validated inputs (money in minor units)." },
      validUntil: { type: "string", format: "date-time" },
      expired: { type: "boolean" },
      createdAt: { type: "string", format: "date-time" },
      url: { type: "string", format: "uri", description: "The quote's page; it can be reopened by this link." },
    },
  },
};

export function openApiDocument(options: { origin: string; agency: string }) {
  return {
    openapi: "3.1.0",
    info: {
      title: `${options.agency} API`,
      version: "1.0.0",
      description:
        "Browse the agency's insurance products, get priced quotes and find its panel hospitals and clinics. Money is always an integer of minor units with its currency. Errors share one shape (Error).",
    },
    servers: [{ url: `${options.origin}/api/v1` }],
    paths: {
      "/products": {
        get: {
          operationId: "listProducts",
          summary: "List and search products",
          parameters: listParameters,
          responses: {
            "200": { description: "A page of products.", content: { "application/json": { schema: ref("ProductList") } } },
            "400": errorResponse("A query parameter is not valid (VALIDATION_ERROR)."),
          },
        },
      },
      "/products/{slug}": {
        get: {
          operationId: "getProduct",
          summary: "One product, with the inputs its quote needs",
          parameters: [slugParam],
          responses: {
            "200": { description: "The product.", content: { "application/json": { schema: ref("ProductDetail") } } },
            "404": errorResponse("No such product at this agency (NOT_FOUND)."),
          },
        },
      },
      "/quotes": {
        post: {
          operationId: "createQuote",
          summary: "Price and save a quote",
          requestBody: { required: true, content: { "application/json": { schema: ref("QuoteRequest") } } },
          responses: {
            "201": {
              description: "The saved quote, with its reference and breakdown.",
              content: { "application/json": { schema: { type: "object", required: ["quote"], properties: { quote: ref("Quote") } } } },
            },
            "400": errorResponse("Invalid JSON (INVALID_JSON) or inputs (VALIDATION_ERROR, per field: `inputs.vehicleValue`)."),
            "404": errorResponse("No such product at this agency (NOT_FOUND)."),
          },
        },
      },
      "/quotes/{quoteId}": {
        get: {
          operationId: "getQuote",
          summary: "A saved quote, by the id its link carries",
          parameters: [{ name: "quoteId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": {
              description: "The quote.",
              content: { "application/json": { schema: { type: "object", required: ["quote"], properties: { quote: ref("Quote") } } } },
            },
            "404": errorResponse("No such quote at this agency (NOT_FOUND)."),
          },
        },
      },
      ...facilityPaths,
      ...benefitPaths,
      "/openapi.json": {
        get: { operationId: "openApi", summary: "This document", responses: { "200": { description: "OpenAPI 3.1 document." } } },
      },
    },
    components: { schemas: { ...schemas, ...facilitySchemas, ...benefitSchemas } },
  };
}
