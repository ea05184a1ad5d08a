"""A LangChain BaseRetriever over Casewise search, so the hybrid retriever drops into LangChain chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retriever.models import SearchFilter
from retriever.search import Searcher


class CasewiseRetriever(BaseRetriever):
    """Returns the same chunks, in the same order, as `casewise search`; metadata carries the citation fields."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = 5
    filters: SearchFilter = SearchFilter()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        hits = self.searcher.search(query, k=self.k, filters=self.filters)
        documents = []
        for rank, hit in enumerate(hits, start=1):
            metadata = hit.to_dict(rank)
            text = str(metadata.pop("text"))
            documents.append(Document(page_content=text, metadata=metadata, id=hit.chunk.chunk_id))
        return documents
