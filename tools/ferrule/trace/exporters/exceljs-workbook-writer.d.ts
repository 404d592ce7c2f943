// exceljs declares its package index only; this is the module its `stream.xlsx.WorkbookWriter` comes from.
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type ExcelJS from 'exceljs'
  const WorkbookWriter: typeof ExcelJS.stream.xlsx.WorkbookWriter
  export default WorkbookWriter
}
